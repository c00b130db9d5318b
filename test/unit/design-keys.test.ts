import { describe, expect, it } from "vitest";
import { closestKey, keyMismatches, keyReferences } from "../../src/review/design-keys.js";

const KEYS = [
  "model",
  "model.hidden_units",
  "model.init_std",
  "training",
  "training.learning_rate",
  "training.steps",
  "training.seeds",
  "aggregation",
  "aggregation.tie_tolerance",
  "aggregation.method",
  "methods",
  "methods.outlier",
  "methods.outlier.isolation_forest",
  "methods.outlier.isolation_forest.n_estimators",
  "methods.outlier.lof",
  "methods.outlier.lof.n_neighbors",
  "evaluation",
  "evaluation.metrics",
];
const TOP = new Set(KEYS.filter((k) => !k.includes(".")));
const refs = (text: string) => keyReferences(text, "x.py", TOP).map((r) => r.path);

describe("config keys named in design prose", () => {
  it("finds keys in subscripts, .get chains, config. prefixes and backticks", () => {
    expect(refs("Reads config['training']['learning_rate'] and cfg.get('aggregation', {}).get('tie_tol', 1e-6).")).toEqual([
      "training.learning_rate",
      "aggregation.tie_tol",
    ]);
    expect(refs("Uses `methods.iforest.n_estimators` and config.model.hidden_units.")).toEqual([
      "methods.iforest.n_estimators",
      "model.hidden_units",
    ]);
    expect(refs("The tie tolerance comes from the config key aggregation.tie_tol.")).toEqual(["aggregation.tie_tol"]);
  });

  it("leaves module paths, attributes, method calls and file names alone", () => {
    const prose = [
      "Calls model.forward(x) on each batch, then model.parameters are updated by the optimizer.",
      "Builds torch.nn.Linear layers; seeds np.random.default_rng; writes results to evaluation.json.",
      "Imports training.py and model.py; the evaluation.metrics module is described in Section 4.",
      "self.model.eval() before scoring; data.x and data.y are NumPy arrays.",
    ].join(" ");
    expect(refs(prose)).toEqual([]);
  });
});

describe("mismatches against config.yaml's keys", () => {
  it("reports only keys config.yaml lacks, with the key it has that is meant", () => {
    const found = keyMismatches(
      [
        { path: "aggregation.tie_tol", where: "agg.py" },
        { path: "aggregation.tie_tolerance", where: "agg.py" },
        { path: "training.seeds.0", where: "main.py" },
        { path: "methods.iforest", where: "detect.py" },
        { path: "training.lr", where: "train.py" },
      ],
      KEYS,
    );
    expect(found).toEqual([
      { path: "aggregation.tie_tol", where: "agg.py", suggestion: "aggregation.tie_tolerance" },
      { path: "methods.iforest", where: "detect.py" },
      { path: "training.lr", where: "train.py", suggestion: "training.learning_rate" },
    ]);
  });
  it("suggests nothing far from every key", () => {
    expect(closestKey("model.dropout_rate", KEYS)).toBeUndefined();
  });
});

describe("an analysis's config keys aligned with config.yaml", () => {
  it("renames a near miss in the key list and the text; leaves a key with no close match for the check", async () => {
    const { alignKeys } = await import("../../src/review/design-keys.js");
    const analysis = {
      configKeys: ["aggregation.tie_tol", "training.steps", "training.warmup"],
      algorithm: ["read aggregation.tie_tol from the config", "compare within aggregation.tie_tol_x"],
    };
    const { analysis: aligned, renamed } = alignKeys(analysis, KEYS);
    expect(renamed).toEqual([["aggregation.tie_tol", "aggregation.tie_tolerance"]]);
    expect(aligned.configKeys).toEqual(["aggregation.tie_tolerance", "training.steps", "training.warmup"]);
    expect(aligned.algorithm).toEqual(["read aggregation.tie_tolerance from the config", "compare within aggregation.tie_tol_x"]);
  });
});
