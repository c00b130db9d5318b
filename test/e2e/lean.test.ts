/**
 * Fewer and leaner calls, end to end against the scripted server: files a rule
 * writes get no call, tests and support code get no analysis, a verdict with
 * only low points passes, and the provider's cached tokens reach run.json and the price.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { costOf } from "../../src/llm/prices.js";
import { logicDesign, TINY_CODE, tinyRules } from "../fixtures/tiny-replies.js";
import { placeFlags, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, taskIs, type Rule } from "../support/scripted-server.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p2c-lean-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(name: string, overrides: Rule[], extra: string[] = [], serverOptions: Parameters<typeof startScriptedServer>[1] = {}) {
  const replaced = new Set(overrides.map((r) => r.name));
  const server = await startScriptedServer([...overrides, ...tinyRules().filter((r) => !replaced.has(r.name))], serverOptions);
  const out = join(dir, name);
  try {
    const r = await runCli(
      [
        "run",
        TINY_PAPER,
        "--base-url",
        server.baseUrl,
        ...placeFlags(out, join(dir, `${name}.sqlite`)),
        ...(extra.includes("--model") ? [] : ["--model", "vllm:m"]),
        ...extra,
      ],
      {
        env: { OPENAI_API_KEY: "sk-test-not-a-key" },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    return { out, report: JSON.parse(await readFile(join(out, "run.json"), "utf8")), requests: server.requests };
  } finally {
    await server.close();
  }
}

describe("files a rule writes, and files that need no analysis", () => {
  const withTests = {
    ...logicDesign,
    files: [
      ...logicDesign.files,
      { path: "tests/__init__.py", logic: "Empty package marker.", dependsOn: [] },
      {
        path: "tests/test_model.py",
        logic: "pytest: forward gives outputs in (0, 1) for the four XOR inputs.",
        dependsOn: ["model.py", "data.py"],
      },
    ],
    implementationOrder: [...logicDesign.implementationOrder, "tests/__init__.py", "tests/test_model.py"],
  };
  const test =
    "from data import xor_dataset\nfrom model import TwoLayerPerceptron\nimport numpy as np\n\n\ndef test_forward():\n    x, _ = xor_dataset()\n    y = TwoLayerPerceptron(4, 0.5, np.random.default_rng(0)).forward(x)\n    assert ((y > 0) & (y < 1)).all()\n";

  it("writes a package marker without a call, and codes a test and support code without an analysis", async () => {
    const result = await run("rules", [
      { name: "logic_designer", match: taskIs("the logic design"), reply: JSON.stringify(withTests) },
      { name: "coder:tests/test_model.py", match: taskIs("write `tests/test_model.py`"), reply: "```python\n" + test + "```" },
    ]);
    const rules = result.requests.map((r) => r.rule);
    expect(rules.filter((r) => r?.includes("tests/__init__.py"))).toEqual([]);
    expect(rules).toContain("coder:tests/test_model.py");
    expect(result.requests.filter((r) => r.rule === null)).toEqual([]); // no analyst was asked for the test or reproduce.sh
    expect(result.requests.filter((r) => /the specification of `(tests\/test_model\.py|reproduce\.sh)`/.test(r.task))).toEqual([]);
    expect(await readFile(join(result.out, "repo/tests/__init__.py"), "utf8")).toMatch(/^""".+"""\n$/);
    expect(await readFile(join(result.out, "repo/tests/test_model.py"), "utf8")).toBe(test);
    expect(result.report.notes.join("\n")).toContain("written by rule, without a model call: tests/__init__.py");
    // The coder of the test is shown the logic as its specification.
    expect(result.requests.find((r) => r.rule === "coder:tests/test_model.py")!.task).toContain("the logic above is the specification");
    for (const path of ["data.py", "model.py", "train.py", "main.py"])
      expect(await readFile(join(result.out, "repo", path), "utf8")).toBe(TINY_CODE[path]);
  });
});

describe("a verdict with only low-severity points", () => {
  it("passes with no refine call; its points go to the notes and the README's open points", async () => {
    const lowOnly = JSON.stringify({
      passed: false,
      score: 4,
      issues: [{ severity: "low", location: "summary", problem: "the summary could name the seeds", suggestion: "name them" }],
      summary: "Usable.",
    });
    const result = await run("low", [
      {
        name: "verifier",
        match: taskIs("verify"),
        reply: (req) =>
          req.task.includes("# Task: verify the reproduction plan")
            ? lowOnly
            : JSON.stringify({ passed: true, score: 5, issues: [], summary: "Fine." }),
      },
    ]);
    expect(result.requests.filter((r) => r.rule?.startsWith("refine") || /revise the/.test(r.task))).toEqual([]);
    const verdict = JSON.parse(await readFile(join(result.out, "artifacts/reviews/plan/round-0-verdict.json"), "utf8"));
    expect(verdict).toMatchObject({ passed: true, action: "accepted" });
    expect(result.report.notes).toContain("plan: open point: the summary could name the seeds");
    expect(await readFile(join(result.out, "repo/README.md"), "utf8")).toContain(
      "## Open points\n\nMinor points the reviews raised and left as they are:\n\n- plan: the summary could name the seeds (name them)",
    );
  });
});

describe("cached input tokens", () => {
  it("reach run.json as the provider reported them, and are priced as cached", async () => {
    const result = await run("cached", [], ["--model", "openai:gpt-4.1-mini"], { prefixCache: true });
    const served = result.requests.reduce((n, r) => n + (r.cachedTokens ?? 0), 0);
    expect(served).toBeGreaterThan(0);
    const total = result.report.usage.total;
    expect(total.cachedInputTokens).toBe(served);
    expect(result.report.costUsd).toBeCloseTo(costOf("openai:gpt-4.1-mini", total)!, 10);
    expect(result.report.costUsd).toBeLessThan(costOf("openai:gpt-4.1-mini", { ...total, cachedInputTokens: 0 })!);
  });
});

describe("prompts a prefix cache can reuse", () => {
  it("gives the calls of one kind one system message (rules, paper, design), each call's own material after it", async () => {
    const result = await run("prefix", []);
    const systems = (prefix: string) => new Set(result.requests.filter((r) => r.rule?.startsWith(prefix)).map((r) => r.system));
    expect(systems("analyst:").size).toBe(1);
    expect(systems("coder:").size).toBe(1);
    const architect = result.requests.find((r) => r.rule === "architect")!.system;
    expect(result.requests.find((r) => r.rule === "config_writer")!.system).toBe(architect);
    const [analyst] = systems("analyst:");
    const [coder] = systems("coder:");
    // In the fixed order: the paper first for every call, then the plan, config.yaml and the architecture as far as a call needs them.
    const paperEnd = architect.indexOf("</paper>");
    expect(analyst!.slice(0, paperEnd)).toBe(architect.slice(0, paperEnd));
    expect(analyst!.startsWith(architect)).toBe(true);
    expect(analyst!.indexOf("<plan>")).toBeLessThan(analyst!.indexOf("<config>"));
    expect(analyst!.indexOf("<config>")).toBeLessThan(analyst!.indexOf("<architecture>"));
    expect(coder).toContain("<config>");
    expect(coder).not.toContain("<architecture>");
    expect(result.requests.find((r) => r.rule === "coder:train.py")!.task).not.toContain("learning_rate: 0.5"); // config.yaml is in the system message, once
  });
});
