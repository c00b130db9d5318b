import { END, START, StateGraph } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { analystNode } from "../agents/analyst.js";
import { coderNode } from "../agents/coder.js";
import { ConfigurationAnnotation } from "../src/configuration.js";
import { afterVerify, refineNode, STAGES, verifyNode } from "../src/review/nodes.js";
import { FileWorkAnnotation, FileWorkOutput, type Design, type FileAnalysisState, type FileWorkState } from "../src/state.js";

/** The file's coder, with the analysis it was sent or has just made. */
function coder(state: FileWorkState, config?: RunnableConfig) {
  const { outDir, paper, code, design, target, batch, waitFor } = state;
  return coderNode({ outDir, paper, code, design, target, batch, waitFor, analysis: state.analysis ?? state.analyses[target] }, config);
}

/**
 * One file from analysis to code: analyst -> verify (<-> refine, bounded by
 * refineAnalysis) -> coder, which waits for the files it depends on. A test or
 * support code, or a file sent with an analysis (an edited one), goes straight to its coder.
 */
export function buildFileGraph() {
  return new StateGraph({ stateSchema: FileWorkAnnotation, input: FileWorkAnnotation, output: FileWorkOutput }, ConfigurationAnnotation)
    .addNode("analyst", analystNode)
    .addNode("verify_analysis", verifyNode<FileAnalysisState & Design>(STAGES.analysis))
    .addNode("refine_analysis", refineNode<FileAnalysisState & Design>(STAGES.analysis))
    .addNode("coder", coder)
    .addConditionalEdges(START, (s: FileWorkState) => (s.analysis || (s.kind && s.kind !== "code") ? "coder" : "analyst"), ["analyst", "coder"])
    .addEdge("analyst", "verify_analysis")
    .addConditionalEdges("verify_analysis", afterVerify<FileAnalysisState>("analysis", "refine_analysis", "coder"), ["refine_analysis", "coder"])
    .addEdge("refine_analysis", "verify_analysis")
    .addEdge("coder", END)
    .compile({ name: "file" });
}
