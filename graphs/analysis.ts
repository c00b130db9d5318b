import { END, START, StateGraph } from "@langchain/langgraph";
import { analystNode } from "../agents/analyst.js";
import { ConfigurationAnnotation } from "../src/configuration.js";
import { afterVerify, refineNode, STAGES, verifyNode } from "../src/review/nodes.js";
import { FileAnalysisAnnotation, FileAnalysisOutput, type Design, type FileAnalysisState } from "../src/state.js";

/** One file's analysis: analyst -> verify -> (refine -> verify)* , bounded by refineAnalysis. */
export function buildAnalysisGraph() {
  return new StateGraph({ stateSchema: FileAnalysisAnnotation, input: FileAnalysisAnnotation, output: FileAnalysisOutput }, ConfigurationAnnotation)
    .addNode("analyst", analystNode)
    .addNode("verify_analysis", verifyNode<FileAnalysisState & Design>(STAGES.analysis))
    .addNode("refine_analysis", refineNode<FileAnalysisState & Design>(STAGES.analysis))
    .addEdge(START, "analyst")
    .addEdge("analyst", "verify_analysis")
    .addConditionalEdges("verify_analysis", afterVerify<FileAnalysisState>("analysis", "refine_analysis", END), ["refine_analysis", END])
    .addEdge("refine_analysis", "verify_analysis")
    .compile({ name: "analysis" });
}
