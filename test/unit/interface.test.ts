import { describe, expect, it } from "vitest";
import { publicInterface } from "../../src/checks/interface.js";

const MODULE = `"""Outlier detectors (Section 3.2)."""
import numpy as np

DEFAULT_CONTAMINATION = 0.1
_cache = {}


class IsolationDetector:
    """Isolation forest over answer embeddings (Eq. 4)."""

    def __init__(self, config):
        self.n_estimators = config["isolation_forest"]["n_estimators"]
        self._rng = np.random.default_rng(0)

    def fit(self, embeddings: np.ndarray) -> "IsolationDetector":
        """Fit the forest."""
        self.model_ = None
        return self

    def _score(self, x):
        return x


def detect(embeddings, config) -> list[int]:
    """Indices of the outliers."""
    return []


def _helper(x):
    return x
`;

describe("publicInterface", () => {
  it("keeps public classes, methods, attributes, functions and constants with their first docstring line, and nothing private", async () => {
    const text = await publicInterface(MODULE);
    expect(text).toContain("class IsolationDetector\n");
    expect(text).toContain('"""Isolation forest over answer embeddings (Eq. 4)."""');
    expect(text).toContain("    def __init__(self, config)\n");
    expect(text).toContain('def fit(self, embeddings: np.ndarray) -> "IsolationDetector"\n');
    expect(text).toContain("# attributes: n_estimators, model_");
    expect(text).toContain("def detect(embeddings, config) -> list[int]\n");
    expect(text).toContain("DEFAULT_CONTAMINATION = 0.1");
    for (const hidden of ["_score", "_helper", "_cache", "_rng", "return []", 'config["isolation_forest"]'])
      expect(text).not.toContain(hidden);
  });

  it("gives each source its own interface when many are asked for, the same one asked again", async () => {
    const sources = Array.from({ length: 300 }, (_, i) => `def run_${i}(config):\n    """Step ${i}."""\n    return ${i}\n`);
    const first = await Promise.all(sources.map((s) => publicInterface(s)));
    first.forEach((text, i) => expect(text).toBe(`def run_${i}(config)\n    """Step ${i}."""`));
    expect(await publicInterface(sources[0]!)).toBe(first[0]);
    expect(await publicInterface(sources[299]!)).toBe(first[299]);
  });
});
