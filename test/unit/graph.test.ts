import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { graph } from "../../graphs/paper2code.js";
import { REFINE_STAGES } from "../../graphs/stages.js";

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
    for (const node of ["planner", "architect", "logic_designer", "config_writer", "coder", "repair_code", "check_code", "analysis:analyst", "analysis:verify_analysis", "analysis:refine_analysis"]) {
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
    for (const key of ["model", "baseUrl", "concurrency", "refinePlan", "refineArchitecture", "refineLogic", "refineConfig", "refineAnalysis", "repairCode"]) {
      expect(config[key], key).toBeDefined();
    }
    expect(config.refinePlan.type).toBe("number");
    expect(REFINE_STAGES).toHaveLength(6);
    const input = schemas.graph.input.properties;
    expect(Object.keys(input)).toEqual(expect.arrayContaining(["paperPath", "paperText", "outDir"]));
  });
});
