import type { RunnableConfig } from "@langchain/core/runnables";
import { END, Send, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { analystNode } from "../agents/analyst.js";
import { architectNode } from "../agents/architect.js";
import { coderNode } from "../agents/coder.js";
import { configWriterNode } from "../agents/config-writer.js";
import { logicDesignerNode } from "../agents/logic-designer.js";
import { plannerNode } from "../agents/planner.js";
import { ConfigurationAnnotation } from "../src/configuration.js";
import { finalizeNode } from "../src/nodes/finalize.js";
import { ingestNode } from "../src/nodes/ingest.js";
import { planFilesNode } from "../src/nodes/plan-files.js";
import { nextCodingTasks } from "../src/nodes/schedule.js";
import { fileTask, PaperToCodeAnnotation, type PaperToCodeState } from "../src/state.js";

/**
 * ingest -> planner -> (architect -> logic_designer) || config_writer -> plan_files
 *   -> analyst x N (Send) -> schedule_coding <-> coder (Send, dependency order) -> finalize
 */
export function buildPaperToCodeGraph() {
  return new StateGraph(PaperToCodeAnnotation, ConfigurationAnnotation)
    .addNode("ingest", ingestNode)
    .addNode("planner", plannerNode)
    .addNode("architect", architectNode)
    .addNode("logic_designer", logicDesignerNode)
    .addNode("config_writer", configWriterNode)
    .addNode("plan_files", planFilesNode)
    .addNode("analyst", analystNode)
    .addNode("schedule_coding", () => ({}))
    .addNode("coder", coderNode)
    .addNode("finalize", finalizeNode)
    .addEdge(START, "ingest")
    .addEdge("ingest", "planner")
    .addEdge("planner", "architect")
    .addEdge("planner", "config_writer")
    .addEdge("architect", "logic_designer")
    .addEdge(["logic_designer", "config_writer"], "plan_files")
    .addConditionalEdges("plan_files", (state: PaperToCodeState) =>
      state.files!.map((f) => new Send("analyst", fileTask(state, f.path))),
    )
    .addEdge("analyst", "schedule_coding")
    .addConditionalEdges(
      "schedule_coding",
      (state: PaperToCodeState, config: RunnableConfig) => {
        const next = nextCodingTasks(state, config);
        return next.length === 0 ? "finalize" : next.map((path) => new Send("coder", fileTask(state, path)));
      },
      ["coder", "finalize"],
    )
    .addEdge("coder", "schedule_coding")
    .addEdge("finalize", END);
}

export function compilePaperToCode(checkpointer?: BaseCheckpointSaver) {
  return buildPaperToCodeGraph().compile({ checkpointer, name: "paper2code" });
}

/** The graph LangGraph Studio loads (langgraph.json): the dev server brings its own checkpointer. */
export const graph = compilePaperToCode();
