import { z } from "zod";
import { prompt } from "../../src/prompts.js";
import { renderFileTable } from "../../src/render/markdown.js";
import { alignKeys } from "../../src/review/design-keys.js";
import { issue, type ReviewIssue } from "../../src/review/types.js";
import type { Design, FileAnalysisState, FileTask } from "../../src/state.js";
import { withDesign } from "../../src/workspace/design.js";
import { writeArtifact } from "../../src/workspace/writer.js";
import { architectureStage } from "../architect/stage.js";
import type { ConfigArtifact } from "../config-writer/schema.js";
import { configStage } from "../config-writer/stage.js";
import { planStage } from "../planner/stage.js";
import { jsonPatch, type ReviewedStage } from "../stage.js";
import { renderAnalysis } from "./render.js";
import { AnalysisSchema, type Analysis } from "./schema.js";

export { AnalysisSchema, type Analysis } from "./schema.js";
export { renderAnalysis } from "./render.js";

export function checkAnalysis(analysis: Analysis, config: ConfigArtifact, path: string): ReviewIssue[] {
  if (!config.valid) return [];
  const keys = new Set(config.keys);
  return analysis.configKeys
    .filter((k) => !keys.has(k))
    .map((k) => issue("high", path, `the analysis reads config key ${k}, which config.yaml does not have`, "use the keys config.yaml has"));
}

export function analystTask(input: Pick<FileTask, "target"> & Design): string {
  const path = input.target;
  const file = input.files.find((f) => f.path === path)!;
  return prompt("analyst", {
    path,
    files: renderFileTable(input.files),
    logic: file.logic || "(the logic design gives no logic for this file)",
    dependsOn: file.dependsOn.join(", ") || "none",
    conventions: input.logic.sharedConventions,
  });
}

type AnalystState = FileAnalysisState & Design;
const writeAnalysis = (out: string, v: Analysis, s: { target: string }) =>
  writeArtifact(out, `analysis/${s.target}.md`, renderAnalysis(s.target, v));

/** Analyst: a detailed specification of one file, run once per file in parallel. */
export const analysisStage: ReviewedStage<AnalystState, Analysis, "refineAnalysis", { analyses: Record<string, Analysis> }> = {
  name: "analysis",
  node: "analyst",
  title: "analyst",
  prompt: "analyst",
  label: "the file analysis",
  refine: { setting: "refineAnalysis", default: 0 },
  artifactFile: "artifacts/analysis/",
  reads: [planStage.asContext!, configStage.asContext!, architectureStage.asContext!],
  load: (state: FileAnalysisState) => withDesign(state),
  task: analystTask,
  reply: { json: AnalysisSchema, schemaName: "file_analysis" },
  // The analysis uses config.yaml's key paths: a near miss is corrected here, at no call; the rest the check reports.
  accept: (value, s) => {
    const { analysis, renamed } = s.configYaml.valid ? alignKeys(value, s.configYaml.keys) : { analysis: value, renamed: [] };
    const notes = renamed.length
      ? [`analysis of ${s.target}: config keys aligned with config.yaml: ${renamed.map(([a, b]) => `${a} -> ${b}`).join(", ")}`]
      : [];
    return { value: analysis, notes };
  },
  get: (s) => s.analyses[s.target],
  update: (v, s) => ({ analyses: { [s.target]: v } }),
  write: writeAnalysis,
  show: (v) => JSON.stringify(v, null, 2),
  checks: (s, v) => checkAnalysis(v, s.configYaml, s.target),
  patch: jsonPatch({ schema: AnalysisSchema, name: "file_analysis", lists: { interfaces: "name" } }),
  // A person edits every file's analysis at once: file -> analysis.
  editable: (s) => s.analyses,
  applyEdit: (value) => ({ analyses: z.record(z.string(), AnalysisSchema).parse(value) }),
  writeEdit: async (out, update) => {
    for (const [target, analysis] of Object.entries(update.analyses ?? {})) await writeAnalysis(out, analysis, { target });
  },
};
