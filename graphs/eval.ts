import { END, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { chooseReferenceFilesNode, judgeLeafNode, judgeRepositoryNode } from "../agents/judge/index.js";
import { evalReportNode, prepareEvalNode, sendJudges } from "../src/eval/nodes.js";
import { EvalAnnotation, EvalConfigurationAnnotation } from "../src/eval/state.js";

/**
 * prepare -> reference_files (the judge chooses gold files when they do not fit)
 *   -> judge_repository x samples x mode, judge_leaf x rubric leaves (Send, all in one step)
 *   -> report
 *
 * Every judgment is its own task: when the evaluation is interrupted, the
 * judgments already made are kept in the checkpoint and only the rest run on resume.
 */
export function buildEvalGraph() {
  return new StateGraph(EvalAnnotation, EvalConfigurationAnnotation)
    .addNode("prepare", prepareEvalNode)
    .addNode("reference_files", chooseReferenceFilesNode)
    .addNode("judge_repository", judgeRepositoryNode)
    .addNode("judge_leaf", judgeLeafNode)
    .addNode("report", evalReportNode)
    .addEdge(START, "prepare")
    .addEdge("prepare", "reference_files")
    .addConditionalEdges("reference_files", sendJudges, ["judge_repository", "judge_leaf", "report"])
    .addEdge("judge_repository", "report")
    .addEdge("judge_leaf", "report")
    .addEdge("report", END);
}

export function compileEval(checkpointer?: BaseCheckpointSaver) {
  return buildEvalGraph().compile({ checkpointer, name: "eval" });
}

/** The graph LangGraph Studio loads (langgraph.json): the dev server brings its own checkpointer. */
export const graph = compileEval();
