import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { graph } from "../../graphs/paper2code.js";
import {
  EDIT_POINTS,
  PIPELINE_STAGES,
  PLANNING_STAGES,
  REFINE_SETTINGS,
  REFINE_STAGES,
  REVIEWED_STAGES,
  REWIND_POINTS,
  stageOfNode,
} from "../../graphs/stages.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** The schema extractor the LangGraph dev server uses for Studio (it reads the TypeScript types). */
async function studioSchemas() {
  const cli = createRequire(join(ROOT, "node_modules", "@langchain", "langgraph-cli", "package.json"));
  const parser = cli.resolve("@langchain/langgraph-api/schema");
  const { getStaticGraphSchema } = await import(pathToFileURL(parser).href);
  return getStaticGraphSchema({ sourceFile: join(ROOT, "graphs", "paper2code.ts"), exportSymbol: "graph" }, { timeoutMs: 120_000 });
}

describe("the Studio graph export", () => {
  it("is what langgraph.json names, compiled without a checkpointer", async () => {
    const config = JSON.parse(await readFile(join(ROOT, "langgraph.json"), "utf8"));
    expect(config.graphs.paper2code).toBe("./graphs/paper2code.ts:graph");
    expect(graph.checkpointer).toBeUndefined();
  });

  it("has every agent and every verify/refine step as a node (the analysis loop as a subgraph)", () => {
    const nodes = Object.keys(graph.getGraph({ xray: 1 }).nodes);
    for (const node of [
      "planner",
      "architect",
      "logic_designer",
      "config_writer",
      "coder",
      "repair_code",
      "check_code",
      "analysis:analyst",
      "analysis:verify_analysis",
      "analysis:refine_analysis",
    ]) {
      expect(nodes).toContain(node);
    }
    for (const stage of ["plan", "architecture", "logic", "config"]) {
      expect(nodes).toContain(`verify_${stage}`);
      expect(nodes).toContain(`refine_${stage}`);
    }
  });

  it("shows Studio a configurable schema with the model and every refine setting, and an input schema with the paper", async () => {
    const schemas = await studioSchemas();
    const config = schemas.graph.config.properties;
    for (const key of [
      "model",
      "baseUrl",
      "concurrency",
      "refinePlan",
      "refineArchitecture",
      "refineLogic",
      "refineConfig",
      "refineAnalysis",
      "repairCode",
    ]) {
      expect(config[key], key).toBeDefined();
    }
    expect(config.refinePlan.type).toBe("number");
    expect(REFINE_STAGES).toHaveLength(6);
    const input = schemas.graph.input.properties;
    expect(Object.keys(input)).toEqual(expect.arrayContaining(["paperPath", "paperText", "outDir"]));
  });
});

describe("the stage descriptors", () => {
  const prompts = join(ROOT, "prompts");

  it("give every reviewed stage a task prompt that opens with its one `# Task:` line, and a verifier checklist", async () => {
    for (const stage of REVIEWED_STAGES) {
      const text = await readFile(join(prompts, `${stage.prompt}.md`), "utf8");
      expect(text.split("\n")[0], stage.name).toMatch(/^# Task: \S/);
      expect(
        text.split("\n").filter((l) => /^# /.test(l)),
        stage.name,
      ).toHaveLength(1);
      expect((await readFile(join(prompts, "checklists", `${stage.name}.md`), "utf8")).trim(), stage.name).not.toBe("");
    }
  });

  it("derive the vocabularies: each planning stage's four nodes, its rewind and edit points, its refine setting", () => {
    const nodes = Object.keys(graph.getGraph().nodes);
    for (const { stage, after } of PLANNING_STAGES) {
      for (const node of [stage.node, `verify_${stage.name}`, `refine_${stage.name}`, `${stage.name}_ready`]) {
        expect(nodes, node).toContain(node);
        expect(stageOfNode(node), node).toBe(stage.name);
      }
      expect(REWIND_POINTS[stage.name]).toEqual({ node: stage.node, after: after ? `${after.name}_ready` : "ingest" });
      expect(EDIT_POINTS[stage.name]!.after).toBe(`${stage.name}_ready`);
      expect(REFINE_SETTINGS[stage.name]!.setting).toMatch(/^refine[A-Z]/);
      expect(PIPELINE_STAGES).toContain(stage.name);
    }
    expect(EDIT_POINTS.plan).toEqual({ node: "architect", after: "plan_ready" });
    expect(EDIT_POINTS.config).toEqual({ node: "reconcile_design", after: "config_ready" });
  });
});
