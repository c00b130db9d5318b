import { END, START, StateGraph } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { analysisStage } from "../agents/analyst/index.js";
import { coderNode } from "../agents/coder.js";
import { refineNode } from "../agents/refiner.js";
import { artifactNode } from "../agents/stage-nodes.js";
import { afterVerify, verifyNode } from "../agents/verifier.js";
import { FileWorkAnnotation, FileWorkOutput, type FileAnalysisState, type FileWorkState } from "../src/state.js";
import { ConfigurationAnnotation } from "./configuration.js";
import { inStage } from "./reviewed-stage.js";

/** The file's coder, with the analysis it was sent or has just made. */
function coder(state: FileWorkState, config?: RunnableConfig) {
  const { outDir, paper, code, designSha, target, batch, waitFor, priority } = state;
  return coderNode(
    { outDir, paper, code, designSha, target, batch, waitFor, priority, analysis: state.analysis ?? state.analyses[target] },
    config,
  );
}

const meta = inStage(analysisStage.name);

/**
 * One file from analysis to code: analyst -> verify (<-> refine, bounded by
 * refineAnalysis) -> coder, which waits for the files it depends on. A test or
 * support code, or a file sent with an analysis (an edited one), goes straight to its coder.
 */
export function buildFileGraph() {
  return new StateGraph({ stateSchema: FileWorkAnnotation, input: FileWorkAnnotation, output: FileWorkOutput }, ConfigurationAnnotation)
    .addNode("analyst", artifactNode(analysisStage), meta)
    .addNode("verify_analysis", verifyNode(analysisStage), meta)
    .addNode("refine_analysis", refineNode(analysisStage), meta)
    .addNode("coder", coder, inStage("coding"))
    .addConditionalEdges(START, (s: FileWorkState) => (s.analysis || (s.kind && s.kind !== "code") ? "coder" : "analyst"), [
      "analyst",
      "coder",
    ])
    .addEdge("analyst", "verify_analysis")
    .addConditionalEdges("verify_analysis", afterVerify<FileAnalysisState>(analysisStage, "refine_analysis", "coder"), [
      "refine_analysis",
      "coder",
    ])
    .addEdge("refine_analysis", "verify_analysis")
    .addEdge("coder", END)
    .compile({ name: "file" });
}
