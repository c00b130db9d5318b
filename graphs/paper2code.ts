import { END, Send, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { logicStage } from "../agents/logic-designer/index.js";
import { refineNode } from "../agents/refiner.js";
import { reviewGate } from "../agents/reviewer.js";
import { coderNode, repairCodeNode } from "../agents/coder.js";
import { debuggerNode } from "../agents/debugger.js";
import { analysisStage } from "../agents/analyst/index.js";
import { checkCodeNode, issuesFor } from "../src/nodes/check-code.js";
import { sendCoders, sendFileWork } from "../src/nodes/coding.js";
import { afterSmokeRun, executionReportNode, smokeRunNode } from "../src/nodes/execute.js";
import { finalizeNode } from "../src/nodes/finalize.js";
import { ingestNode } from "../src/nodes/ingest.js";
import { planFilesNode } from "../src/nodes/plan-files.js";
import { afterReconcile, reconcileDesignNode } from "../agents/logic-designer/reconcile.js";
import { PaperToCodeAnnotation, type PaperToCodeState } from "../src/state.js";
import { fileTask } from "../src/workspace/design.js";
import { buildAnalysisGraph } from "./analysis.js";
import { ConfigurationAnnotation } from "./configuration.js";
import { buildFileGraph } from "./file.js";
import { addReviewedStage, inStage, type Builder } from "./reviewed-stage.js";
import { gateOf, LAST_PLANNING_STAGES, PLANNING_STAGES, REVIEWABLE_STAGES, startOf, stageOfNode } from "./stages.js";

/**
 * ingest -> planner -> verify_plan (<-> refine_plan) -> plan_ready
 *   -> architect -> verify_architecture (<-> refine) -> architecture_ready -> logic_designer -> verify_logic (<-> refine) -> logic_ready --+
 *   -> config_writer -> verify_config (<-> refine) -> config_ready ---------------------------------------------------------------------+-> reconcile_design
 * (the planning stages and their order: graphs/stages.ts)
 * reconcile_design (the config keys the logic design names exist in config.yaml; <-> reconcile_logic, once) -> plan_files
 * plan_files -> file x N (Send, all at once; subgraph analyst -> verify <-> refine -> coder, the coder starting
 *   as soon as its analysis is done and the files it depends on are written) -> check_code
 * or, when the analyses are reviewed (or the schedule is sequential), with the barrier:
 * plan_files -> analysis x N (Send; subgraph analyst -> verify <-> refine) -> analysis_ready
 *   -> coder x N (Send, all at once; each starts when the files it depends on are written) -> check_code
 * check_code (<-> repair_code x failing files) -> finalize
 *   -> (only when the input asks for execution) smoke_run (<-> debugger, bounded) -> execution_report
 *
 * The `<stage>_ready` gates pause the run for a person when the stage is under review (configurable `review`).
 */
export function buildPaperToCodeGraph() {
  let graph = new StateGraph(PaperToCodeAnnotation, ConfigurationAnnotation) as unknown as Builder;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const node = (name: string, action: any) => graph.addNode(name, action, inStage(stageOfNode(name)));
  graph = node("ingest", ingestNode).addEdge(START, "ingest");
  for (const entry of PLANNING_STAGES) graph = addReviewedStage(graph, entry.stage, startOf(entry));
  node("reconcile_design", reconcileDesignNode);
  node("reconcile_logic", refineNode(logicStage));
  node("plan_files", planFilesNode);
  node("analysis", buildAnalysisGraph());
  node("file", buildFileGraph());
  node(gateOf(analysisStage), reviewGate(analysisStage, REVIEWABLE_STAGES));
  node("coder", coderNode);
  node("check_code", checkCodeNode);
  node("repair_code", repairCodeNode);
  node("finalize", finalizeNode);
  node("smoke_run", smokeRunNode);
  node("debugger", debuggerNode);
  node("execution_report", executionReportNode);
  return graph
    .addEdge(LAST_PLANNING_STAGES.map(gateOf), "reconcile_design")
    .addConditionalEdges("reconcile_design", afterReconcile, ["reconcile_logic", "plan_files"])
    .addEdge("reconcile_logic", "reconcile_design")
    .addConditionalEdges("plan_files", sendFileWork, ["analysis", "analysis_ready", "file", "check_code"])
    .addEdge("analysis", "analysis_ready")
    .addEdge("file", "check_code")
    .addConditionalEdges("analysis_ready", sendCoders, ["coder", "check_code"])
    .addEdge("coder", "check_code")
    .addConditionalEdges(
      "check_code",
      (state: PaperToCodeState) => {
        const files = state.codeChecks.at(-1)?.repairedFiles ?? [];
        return files.length === 0
          ? "finalize"
          : files.map((path) => new Send("repair_code", fileTask(state, path, issuesFor(state, path))));
      },
      ["repair_code", "finalize"],
    )
    .addEdge("repair_code", "check_code")
    .addConditionalEdges("finalize", (state: PaperToCodeState) => (state.execute && state.status === "complete" ? "smoke_run" : END), [
      "smoke_run",
      END,
    ])
    .addConditionalEdges("smoke_run", afterSmokeRun, ["debugger", "execution_report"])
    .addEdge("debugger", "smoke_run")
    .addEdge("execution_report", END) as unknown as ReturnType<typeof typedGraph>;
}

/** The graph's type as Studio's schema extractor reads it: the state, and the configurable settings. */
export const typedGraph = () => new StateGraph(PaperToCodeAnnotation, ConfigurationAnnotation);

export function compilePaperToCode(checkpointer?: BaseCheckpointSaver) {
  return buildPaperToCodeGraph().compile({ checkpointer, name: "paper2code" });
}

/** The graph LangGraph Studio loads (langgraph.json): the dev server brings its own checkpointer. */
export const graph = compilePaperToCode();
