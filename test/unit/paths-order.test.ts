import { describe, expect, it } from "vitest";
import { implementationOrder } from "../../src/planning/order.js";
import { normalizeFileList, normalizeRepoPath, resolveInside, UnsafePathError } from "../../src/workspace/paths.js";

describe("normalizeRepoPath", () => {
  it("normalises harmless variants", () => {
    expect(normalizeRepoPath("./src/model.py")).toBe("src/model.py");
    expect(normalizeRepoPath("`src\\utils.py`")).toBe("src/utils.py");
    expect(normalizeRepoPath("a//b/./c.py")).toBe("a/b/c.py");
  });
  const hostile = [
    "/etc/passwd",
    "C:\\Windows\\x.py",
    "~/x.py",
    "../x.py",
    "a/../../x.py",
    "src/../../x.py",
    "",
    "  ",
    ".git/config",
    "nul.py",
    "a\u0000b.py",
    "a/b:c.py",
  ];
  for (const path of hostile) {
    it(`rejects ${JSON.stringify(path)}`, () => expect(() => normalizeRepoPath(path)).toThrow(UnsafePathError));
  }
  it("rejects duplicates and case collisions with a clear message", () => {
    expect(() => normalizeFileList(["a.py", "./a.py"])).toThrow("file a.py is listed twice");
    expect(() => normalizeFileList(["Model.py", "model.py"])).toThrow("differ only in letter case");
  });
  it("keeps resolved paths inside the root", () => {
    expect(resolveInside("/tmp/out", "a/b.py")).toBe("/tmp/out/a/b.py");
    expect(() => resolveInside("/tmp/out", "../b.py")).toThrow(UnsafePathError);
  });
});

describe("implementationOrder", () => {
  it("is a topological order that follows the proposed order where it can", () => {
    const r = implementationOrder(
      ["main.py", "train.py", "model.py", "data.py"],
      {
        "main.py": ["train.py"],
        "train.py": ["model.py", "data.py"],
      },
      ["data.py", "main.py", "model.py", "train.py"],
    );
    expect(r.order).toEqual(["data.py", "model.py", "train.py", "main.py"]);
    expect(r.brokenDependencies).toEqual([]);
  });
  it("breaks a cycle deterministically and reports it", () => {
    const deps = { "a.py": ["b.py"], "b.py": ["c.py"], "c.py": ["a.py"], "d.py": ["a.py"] };
    const r1 = implementationOrder(["a.py", "b.py", "c.py", "d.py"], deps, ["b.py", "a.py", "c.py", "d.py"]);
    const r2 = implementationOrder(["a.py", "b.py", "c.py", "d.py"], deps, ["b.py", "a.py", "c.py", "d.py"]);
    expect(r1).toEqual(r2);
    expect(r1.order).toEqual(["b.py", "a.py", "c.py", "d.py"]);
    expect(r1.brokenDependencies).toEqual([{ file: "b.py", dependsOn: "c.py" }]);
    expect(r1.warnings.join()).toContain("dependency cycle: b.py");
  });
  it("ignores unknown and self dependencies with warnings", () => {
    const r = implementationOrder(["a.py"], { "a.py": ["a.py", "torch"] });
    expect(r.order).toEqual(["a.py"]);
    expect(r.warnings).toHaveLength(2);
  });
  it("places files the proposal forgot, in file-list order", () => {
    expect(implementationOrder(["x.py", "y.py", "z.py"], {}, ["z.py"]).order).toEqual(["z.py", "x.py", "y.py"]);
  });
});

describe("how each planned file is written", () => {
  it.each([
    ["pkg/__init__.py", "", "package-marker"],
    ["pkg/__init__.py", "Empty package marker.", "package-marker"],
    ["tests/__init__.py", "Makes tests a package.", "package-marker"],
    ["pkg/__init__.py", "Re-exports Model and Trainer from model.py and train.py.", "code"],
    ["pkg/__init__.py", "from .model import Model", "code"],
    ["tests/test_model.py", "pytest checks of the model's output shape.", "test"],
    ["test_train.py", "Checks one training step lowers the loss.", "test"],
    ["utils/seed.py", "set_seed(seed) seeds random, numpy and torch.", "support"],
    ["src/io.py", "read_jsonl and write_json helpers.", "support"],
    ["config.py", "load_config(path) reads config.yaml and applies the smoke overrides.", "support"],
    ["reproduce.sh", "Bash script.", "support"],
    ["utils/schedule.py", "The warm-up schedule of Eq. 3: lr = d^-0.5 min(step^-0.5, step warmup^-1.5).", "code"],
    ["model.py", "The two-layer perceptron.", "code"],
  ])("%s (%s): %s", async (path, logic, kind) => {
    const { fileKind } = await import("../../src/nodes/plan-files.js");
    expect(fileKind({ path, logic })).toBe(kind);
  });
});
