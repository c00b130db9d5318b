import { END, START, StateGraph } from "@langchain/langgraph";
import { analysisStage } from "../agents/analyst/index.js";
import { refineNode } from "../agents/refiner.js";
import { artifactNode } from "../agents/stage-nodes.js";
import { afterVerify, verifyNode } from "../agents/verifier.js";
import { FileAnalysisAnnotation, FileAnalysisOutput, type FileAnalysisState } from "../src/state.js";
import { ConfigurationAnnotation } from "./configuration.js";
import { inStage } from "./reviewed-stage.js";

const meta = inStage(analysisStage.name);

/** One file's analysis: analyst -> verify -> (refine -> verify)* , bounded by refineAnalysis. */
export function buildAnalysisGraph() {
  return new StateGraph(
    { stateSchema: FileAnalysisAnnotation, input: FileAnalysisAnnotation, output: FileAnalysisOutput },
    ConfigurationAnnotation,
  )
    .addNode("analyst", artifactNode(analysisStage), meta)
    .addNode("verify_analysis", verifyNode(analysisStage), meta)
    .addNode("refine_analysis", refineNode(analysisStage), meta)
    .addEdge(START, "analyst")
    .addEdge("analyst", "verify_analysis")
    .addConditionalEdges("verify_analysis", afterVerify<FileAnalysisState>(analysisStage, "refine_analysis", END), ["refine_analysis", END])
    .addEdge("refine_analysis", "verify_analysis")
    .compile({ name: "analysis" });
}
