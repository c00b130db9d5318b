import { END, Send, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { architectNode } from "../agents/architect.js";
import { coderNode, repairCodeNode } from "../agents/coder.js";
import { configWriterNode } from "../agents/config-writer.js";
import { debuggerNode } from "../agents/debugger.js";
import { logicDesignerNode } from "../agents/logic-designer.js";
import { plannerNode } from "../agents/planner.js";
import { ConfigurationAnnotation } from "../src/configuration.js";
import { checkCodeNode, issuesFor } from "../src/nodes/check-code.js";
import { sendCoders, sendFileWork } from "../src/nodes/coding.js";
import { afterSmokeRun, executionReportNode, smokeRunNode } from "../src/nodes/execute.js";
import { finalizeNode } from "../src/nodes/finalize.js";
import { ingestNode } from "../src/nodes/ingest.js";
import { planFilesNode } from "../src/nodes/plan-files.js";
import { reviewGate } from "../src/review/human.js";
import { afterReconcile, reconcileDesignNode } from "../src/review/reconcile.js";
import { afterVerify, refineNode, STAGES, verifyNode } from "../src/review/nodes.js";
import { gateOf } from "../src/stages.js";
import { fileTask, PaperToCodeAnnotation, type PaperToCodeState } from "../src/state.js";
import { buildAnalysisGraph } from "./analysis.js";
import { buildFileGraph } from "./file.js";

/**
 * ingest -> planner -> verify_plan (<-> refine_plan) -> plan_ready
 *   -> architect -> verify_architecture (<-> refine) -> architecture_ready -> logic_designer -> verify_logic (<-> refine) -> logic_ready --+
 *   -> config_writer -> verify_config (<-> refine) -> config_ready ---------------------------------------------------------------------+-> reconcile_design
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
  const stage = (name: "plan" | "architecture" | "logic" | "config") => afterVerify<PaperToCodeState>(name, `refine_${name}`, gateOf(name));
  return new StateGraph(PaperToCodeAnnotation, ConfigurationAnnotation)
    .addNode("ingest", ingestNode)
    .addNode("planner", plannerNode)
    .addNode("verify_plan", verifyNode<PaperToCodeState>(STAGES.plan))
    .addNode("refine_plan", refineNode<PaperToCodeState>(STAGES.plan))
    .addNode("plan_ready", reviewGate("plan"))
    .addNode("architect", architectNode)
    .addNode("verify_architecture", verifyNode<PaperToCodeState>(STAGES.architecture))
    .addNode("refine_architecture", refineNode<PaperToCodeState>(STAGES.architecture))
    .addNode("architecture_ready", reviewGate("architecture"))
    .addNode("logic_designer", logicDesignerNode)
    .addNode("verify_logic", verifyNode<PaperToCodeState>(STAGES.logic))
    .addNode("refine_logic", refineNode<PaperToCodeState>(STAGES.logic))
    .addNode("logic_ready", reviewGate("logic"))
    .addNode("config_writer", configWriterNode)
    .addNode("verify_config", verifyNode<PaperToCodeState>(STAGES.config))
    .addNode("refine_config", refineNode<PaperToCodeState>(STAGES.config))
    .addNode("config_ready", reviewGate("config"))
    .addNode("reconcile_design", reconcileDesignNode)
    .addNode("reconcile_logic", refineNode<PaperToCodeState>(STAGES.logic))
    .addNode("plan_files", planFilesNode)
    .addNode("analysis", buildAnalysisGraph())
    .addNode("file", buildFileGraph())
    .addNode("analysis_ready", reviewGate("analysis"))
    .addNode("coder", coderNode)
    .addNode("check_code", checkCodeNode)
    .addNode("repair_code", repairCodeNode)
    .addNode("finalize", finalizeNode)
    .addNode("smoke_run", smokeRunNode)
    .addNode("debugger", debuggerNode)
    .addNode("execution_report", executionReportNode)
    .addEdge(START, "ingest")
    .addEdge("ingest", "planner")
    .addEdge("planner", "verify_plan")
    .addConditionalEdges("verify_plan", stage("plan"), ["refine_plan", "plan_ready"])
    .addEdge("refine_plan", "verify_plan")
    .addEdge("plan_ready", "architect")
    .addEdge("plan_ready", "config_writer")
    .addEdge("architect", "verify_architecture")
    .addConditionalEdges("verify_architecture", stage("architecture"), ["refine_architecture", "architecture_ready"])
    .addEdge("refine_architecture", "verify_architecture")
    .addEdge("architecture_ready", "logic_designer")
    .addEdge("logic_designer", "verify_logic")
    .addConditionalEdges("verify_logic", stage("logic"), ["refine_logic", "logic_ready"])
    .addEdge("refine_logic", "verify_logic")
    .addEdge("config_writer", "verify_config")
    .addConditionalEdges("verify_config", stage("config"), ["refine_config", "config_ready"])
    .addEdge("refine_config", "verify_config")
    .addEdge(["logic_ready", "config_ready"], "reconcile_design")
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
        return files.length === 0 ? "finalize" : files.map((path) => new Send("repair_code", fileTask(state, path, issuesFor(state, path))));
      },
      ["repair_code", "finalize"],
    )
    .addEdge("repair_code", "check_code")
    .addConditionalEdges("finalize", (state: PaperToCodeState) => (state.execute && state.status === "complete" ? "smoke_run" : END), ["smoke_run", END])
    .addConditionalEdges("smoke_run", afterSmokeRun, ["debugger", "execution_report"])
    .addEdge("debugger", "smoke_run")
    .addEdge("execution_report", END);
}

export function compilePaperToCode(checkpointer?: BaseCheckpointSaver) {
  return buildPaperToCodeGraph().compile({ checkpointer, name: "paper2code" });
}

/** The graph LangGraph Studio loads (langgraph.json): the dev server brings its own checkpointer. */
export const graph = compilePaperToCode();
