import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analystNode } from "../../agents/analyst/index.js";
import { architectNode } from "../../agents/architect/index.js";
import { coderNode } from "../../agents/coder.js";
import { configWriterNode } from "../../agents/config-writer/index.js";
import { logicDesignerNode } from "../../agents/logic-designer/index.js";
import { plannerNode } from "../../agents/planner/index.js";
import { AgentOutputError } from "../../src/errors.js";
import { planFiles } from "../../src/nodes/plan-files.js";
import { type PaperToCodeState } from "../../src/state.js";
import { fileTask } from "../../src/workspace/design.js";
import { TINY_CODE, tinyPlan, tinyRules } from "../fixtures/tiny-replies.js";
import { KeyedFakeChatModel } from "../support/fake-model.js";
import { ingestedState } from "../support/node-state.js";
import { taskIs, type Rule } from "../support/rules.js";

function withModel(rules: Rule[]) {
  const model = new KeyedFakeChatModel(rules);
  return { model, config: { configurable: { chatModel: model } } };
}

/** Run the planning nodes with the tiny fixture's replies to get a state ready for per-file work. */
async function plannedState(): Promise<PaperToCodeState> {
  const { config } = withModel(tinyRules());
  let state = await ingestedState();
  for (const node of [plannerNode, architectNode, logicDesignerNode, configWriterNode]) {
    const update = await node(state, config);
    state = { ...state, ...update, calls: [...state.calls, ...update.calls], notes: [...state.notes, ...update.notes] };
  }
  return { ...state, files: planFiles(state).files };
}

describe("planner node", () => {
  it("returns the validated plan, its usage, and writes plan.md", async () => {
    const { model, config } = withModel(tinyRules());
    const state = await ingestedState();
    const update = await plannerNode(state, config);
    expect(update.plan).toEqual(tinyPlan);
    expect(update.calls).toHaveLength(1);
    expect(update.calls[0]!.inputTokens).toBeGreaterThan(100);
    expect(model.requests[0]!.messages[0]!.content).toContain("Learning XOR with a Two-Layer Perceptron");
    const plan = await readFile(join(state.outDir!, "artifacts", "plan.md"), "utf8");
    expect(plan).toContain("| learning_rate | 0.5 | Section 3 |");
  });

  it("re-asks once with the validation error, then succeeds", async () => {
    const { model, config } = withModel([
      { name: "fixed", match: (r) => r.isRepair, reply: JSON.stringify(tinyPlan) },
      { name: "incomplete", match: taskIs("the reproduction plan"), reply: JSON.stringify({ summary: "only this" }) },
    ]);
    const update = await plannerNode(await ingestedState(), config);
    expect(update.plan).toEqual(tinyPlan);
    expect(model.requests.map((r) => r.rule)).toEqual(["incomplete", "fixed"]);
    expect(model.requests[1]!.messages.at(-1)!.content).toMatch(/components: .*expected array/i);
    expect(update.notes[0]).toContain("planner re-asked");
  });

  it("fails with AgentOutputError when the re-ask is unusable too", async () => {
    const { config } = withModel([{ name: "prose", match: () => true, reply: "I would rather not." }]);
    await expect(plannerNode(await ingestedState(), config)).rejects.toBeInstanceOf(AgentOutputError);
  });
});

describe("architect node", () => {
  it("strips Mermaid fences and normalises paths", async () => {
    const state = await plannedState();
    expect(state.architecture!.classDiagram.startsWith("classDiagram")).toBe(true);
    expect(state.architecture!.files.map((f) => f.path)).toContain("config.yaml");
  });

  it("re-asks when a path escapes the repository", async () => {
    const good = {
      implementationApproach: "x",
      files: [{ path: "main.py", purpose: "entry" }],
      classDiagram: "classDiagram",
      sequenceDiagram: "sequenceDiagram",
    };
    const bad = { ...good, files: [{ path: "../../etc/evil.py", purpose: "escape" }] };
    const { model, config } = withModel([
      { name: "good", match: (r) => r.isRepair, reply: JSON.stringify(good) },
      { name: "bad", match: taskIs("the software design"), reply: JSON.stringify(bad) },
    ]);
    const state = { ...(await ingestedState()), plan: tinyPlan };
    const update = await architectNode(state, config);
    expect(update.architecture.files).toEqual([{ path: "main.py", purpose: "entry" }]);
    expect(model.requests[1]!.messages.at(-1)!.content).toContain("uses '..' to leave the repository");
  });
});

describe("config writer node", () => {
  it("re-asks on invalid YAML and keeps the commented YAML it finally gets", async () => {
    const { model, config } = withModel([
      { name: "good", match: (r) => r.isRepair, reply: "```yaml\ntraining:\n  lr: 0.5  # Section 3\n```" },
      { name: "broken", match: taskIs("config.yaml"), reply: "```yaml\ntraining:\n  lr: [0.5\n```" },
    ]);
    const state = { ...(await ingestedState()), plan: tinyPlan };
    const update = await configWriterNode(state, config);
    expect(update.configYaml.keys).toEqual(["training", "training.lr"]);
    expect(update.configYaml.yaml).toContain("# Section 3");
    expect(model.requests[1]!.messages.at(-1)!.content).toContain("invalid YAML");
    expect(await readFile(join(state.outDir!, "artifacts", "config.yaml"), "utf8")).toContain("lr: 0.5");
  });
});

describe("logic designer and file planning", () => {
  it("orders the files topologically and leaves managed files to paper2code", async () => {
    const state = await plannedState();
    expect(state.files!.map((f) => f.path)).toEqual(["data.py", "model.py", "train.py", "main.py", "reproduce.sh"]);
    expect(state.files!.find((f) => f.path === "train.py")!.dependsOn).toEqual(["model.py", "data.py"]);
    // Every repository gets reproduce.sh, written last, from the entry point.
    expect(state.files!.at(-1)!.dependsOn).toEqual(["main.py"]);
  });

  it("reports and breaks a dependency cycle", () => {
    const architecture = {
      implementationApproach: "",
      classDiagram: "",
      sequenceDiagram: "",
      files: [
        { path: "a.py", purpose: "" },
        { path: "b.py", purpose: "" },
      ],
    };
    const logic = {
      files: [
        { path: "a.py", logic: "", dependsOn: ["b.py"] },
        { path: "b.py", logic: "", dependsOn: ["a.py"] },
      ],
      implementationOrder: ["a.py", "b.py"],
      requiredPackages: [],
      entrypoint: "a.py",
      runCommand: "python a.py",
      sharedConventions: "",
    };
    const { files, notes, brokenDependencies } = planFiles({ architecture, logic });
    expect(files.map((f) => f.path)).toEqual(["a.py", "b.py", "reproduce.sh"]);
    expect(files[0]!.dependsOn).toEqual([]);
    expect(brokenDependencies).toEqual([{ file: "a.py", dependsOn: "b.py" }]);
    expect(notes.join("\n")).toContain("dependency cycle");
  });
});

describe("analyst node", () => {
  it("analyses one file and writes analysis/<path>.md", async () => {
    const state = await plannedState();
    const { model, config } = withModel(tinyRules());
    const update = await analystNode(fileTask(state, "train.py"), config);
    expect(Object.keys(update.analyses)).toEqual(["train.py"]);
    expect(update.calls[0]!.file).toBe("train.py");
    expect(model.requests[0]!.task).toContain("This file imports from: model.py, data.py.");
    expect(await readFile(join(state.outDir!, "artifacts", "analysis", "train.py.md"), "utf8")).toContain("# Analysis of `train.py`");
  });
});

describe("coder node", () => {
  it("gets the code of the files it depends on and writes its file", async () => {
    let state = await plannedState();
    const { model, config } = withModel(tinyRules());
    for (const path of ["data.py", "model.py"]) {
      const update = await coderNode(fileTask(state, path), config);
      state = { ...state, code: { ...state.code, ...update.code } };
    }
    const update = await coderNode(fileTask(state, "train.py"), config);
    expect(update.code["train.py"]!.bytes).toBe(Buffer.byteLength(TINY_CODE["train.py"]!));
    const trainTask = model.requests.find((r) => r.rule === "coder:train.py")!.task;
    expect(trainTask).toContain("### model.py\n```\n" + TINY_CODE["model.py"]);
    expect(trainTask).toContain("### data.py");
    expect(trainTask).not.toContain("def main()");
    expect(await readFile(join(state.outDir!, "repo", "train.py"), "utf8")).toBe(TINY_CODE["train.py"]);
  });

  it("never writes an empty file: an empty reply, re-asked, fails the node", async () => {
    const state = await plannedState();
    const { config } = withModel([{ name: "empty", match: () => true, reply: "```python\n```" }]);
    await expect(coderNode(fileTask(state, "data.py"), config)).rejects.toThrow(/empty code block/);
    await expect(readFile(join(state.outDir!, "repo", "data.py"))).rejects.toThrow();
  });
});
