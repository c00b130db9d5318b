import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { graph } from "../../graphs/paper2code.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("the Studio graph export", () => {
  it("is what langgraph.json names, compiled without a checkpointer", async () => {
    const config = JSON.parse(await readFile(join(ROOT, "langgraph.json"), "utf8"));
    expect(config.graphs.paper2code).toBe("./graphs/paper2code.ts:graph");
    expect(graph.checkpointer).toBeUndefined();
  });

  it("has every agent as a node", () => {
    const nodes = Object.keys(graph.getGraph().nodes);
    for (const agent of ["planner", "architect", "logic_designer", "config_writer", "analyst", "coder"]) {
      expect(nodes).toContain(agent);
    }
  });
});
