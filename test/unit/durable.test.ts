import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { Command, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setConfigKeys } from "../../src/cli/artifact-edits.js";
import { CallJournal } from "../../src/llm/journal.js";
import { configStage } from "../../agents/config-writer/index.js";
import { reviewGate } from "../../agents/reviewer.js";
import { REVIEWABLE_STAGES, stageOfNode } from "../../graphs/stages.js";
import { PaperToCodeAnnotation, type PaperToCodeState } from "../../src/state.js";
import { ingestedState } from "../support/node-state.js";

const CONFIG_YAML = "training:\n  learning_rate: 0.5  # Section 3\n  steps: 5000  # Section 3\n";

describe("call journal", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "p2c-journal-"))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));
  // A node declares its stage in its metadata (graphs/), as the graph gives it.
  const journalFor = (node: string, rewind?: string) =>
    CallJournal.current({
      configurable: { callJournal: dir, ...(rewind ? { rewind } : {}) },
      metadata: { langgraph_node: node, stage: stageOfNode(node) },
    })!;
  const messages = [new HumanMessage("# Task: write `model.py`")];

  it("keeps a reply with its usage and finish reason, and forgets it on request", () => {
    const journal = journalFor("coder");
    const key = journal.key("openai:m", messages, {});
    expect(journal.get(key)).toBeUndefined();
    journal.put(
      key,
      new AIMessage({
        content: "code",
        usage_metadata: { input_tokens: 10, output_tokens: 3, total_tokens: 13 },
        response_metadata: { finish_reason: "length" },
      }),
    );
    const replayed = journal.get(key)!;
    expect(replayed.content).toBe("code");
    expect(replayed.usage_metadata?.input_tokens).toBe(10);
    expect(replayed.response_metadata.finish_reason).toBe("length");
    journal.forget([key]);
    expect(journal.get(key)).toBeUndefined();
  });

  it("gives a rewound stage's nodes fresh keys and leaves other stages' keys alone", () => {
    const plain = (node: string) => journalFor(node).key("openai:m", messages, {});
    const rewound = (node: string) => journalFor(node, "coding@abc").key("openai:m", messages, {});
    expect(rewound("coder")).not.toBe(plain("coder"));
    expect(rewound("analyst")).toBe(plain("analyst"));
    expect(rewound("planner")).toBe(plain("planner"));
    expect(journalFor("coder", "coding@other").key("openai:m", messages, {})).not.toBe(rewound("coder"));
    // The request decides the key: another model or other options are another request.
    expect(journalFor("coder").key("openai:n", messages, {})).not.toBe(plain("coder"));
    expect(journalFor("coder").key("openai:m", messages, { response_format: { type: "json_object" } })).not.toBe(plain("coder"));
  });

  it("is off unless the run names a folder", () => {
    expect(CallJournal.current({ configurable: {}, metadata: { langgraph_node: "coder" } })).toBeUndefined();
  });
});

describe("review gate", () => {
  let state: PaperToCodeState;
  beforeEach(async () => {
    state = {
      ...(await ingestedState()),
      configYaml: { yaml: CONFIG_YAML, keys: ["training", "training.learning_rate", "training.steps"], valid: true },
    };
  });

  const gateGraph = () =>
    new StateGraph(PaperToCodeAnnotation)
      .addNode("config_ready", reviewGate(configStage, REVIEWABLE_STAGES))
      .addEdge(START, "config_ready")
      .addEdge("config_ready", END)
      .compile({ checkpointer: new MemorySaver() });

  it("passes straight through when the stage is not under review", async () => {
    const result = await gateGraph().invoke(state, { configurable: { thread_id: "a", review: "plan" } });
    expect(result.configYaml!.yaml).toBe(CONFIG_YAML);
    expect(result.notes).toEqual([]);
  });

  it("pauses, refuses an invalid edit with the reason, and applies a valid one", async () => {
    const graph = gateGraph();
    const config = { configurable: { thread_id: "b", review: "config,plan" } };
    await graph.invoke(state, config);
    let snapshot = await graph.getState(config);
    const first = snapshot.tasks[0]!.interrupts[0]!.value as { stage: string; current: string; error?: string };
    expect(first.stage).toBe("config");
    expect(first.current).toBe(CONFIG_YAML);
    expect(first.error).toBeUndefined();

    await graph.invoke(new Command({ resume: { action: "edit", value: "training: [unclosed" } }), config);
    snapshot = await graph.getState(config);
    const again = snapshot.tasks[0]!.interrupts[0]!.value as { error?: string };
    expect(again.error).toMatch(/the edited config is not valid/);

    await graph.invoke(new Command({ resume: { action: "sure" } }), config);
    snapshot = await graph.getState(config);
    expect((snapshot.tasks[0]!.interrupts[0]!.value as { error?: string }).error).toMatch(/not a review decision/);

    const edited = CONFIG_YAML.replace("5000", "10");
    const result = await graph.invoke(new Command({ resume: { action: "edit", value: edited } }), config);
    expect(result.configYaml).toEqual({ yaml: edited, keys: ["training", "training.learning_rate", "training.steps"], valid: true });
    expect(result.notes).toEqual(["config edited by a reviewer"]);
    expect(readFileSync(join(state.outDir!, "artifacts", "config.yaml"), "utf8")).toBe(edited);
  });

  it("records an approval", async () => {
    const graph = gateGraph();
    const config = { configurable: { thread_id: "c", review: "all" } };
    await graph.invoke(state, config);
    const result = await graph.invoke(new Command({ resume: { action: "approve" } }), config);
    expect(result.notes).toEqual(["config approved by a reviewer"]);
    expect(existsSync(join(state.outDir!, "artifacts", "config.yaml"))).toBe(false);
  });

  it("rejects an unknown stage name in the review setting", async () => {
    await expect(gateGraph().invoke(state, { configurable: { thread_id: "d", review: "config,cofnig" } })).rejects.toThrow(
      /unknown stage 'cofnig'/,
    );
  });
});

describe("--set on config.yaml", () => {
  const state = { configYaml: { yaml: CONFIG_YAML, keys: ["training.learning_rate", "training.steps"], valid: true } } as PaperToCodeState;

  it("changes values in place, keeps the paper's comments, and parses values as YAML", () => {
    const yaml = setConfigKeys("config", state, ["training.learning_rate=1e-3", "training.steps=[1, 2]"]);
    expect(yaml).toContain("learning_rate: 0.001 # Section 3");
    expect(yaml).toMatch(/steps:\s*\[ 1, 2 \]\s*# Section 3/);
  });

  it("refuses unknown keys, malformed assignments and other artifacts", () => {
    expect(() => setConfigKeys("config", state, ["training.lr=1"])).toThrow(/config.yaml has no key 'training.lr'/);
    expect(() => setConfigKeys("config", state, ["=1"])).toThrow(/expected key=value/);
    expect(() => setConfigKeys("plan", state, ["a=1"])).toThrow(/--set edits config.yaml/);
  });
});
