import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { askJson } from "../src/llm/ask.js";
import { prompt } from "../src/prompts.js";
import { contextOf, type ContextPart } from "../src/llm/context.js";
import { renderAnalysis, renderFileTable } from "../src/render/artifacts.js";
import { withDesign, type Design, type FileTask } from "../src/state.js";
import { alignKeys } from "../src/review/design-keys.js";
import { writeArtifact } from "../src/workspace/writer.js";

export const AnalysisSchema = z.object({
  purpose: z.string().describe("What this file is for, in one or two sentences"),
  inputs: z.array(z.string()).describe("What the file receives: arguments, tensors with shapes, config keys, files read"),
  outputs: z.array(z.string()).describe("What it returns, writes or logs"),
  interfaces: z
    .array(z.object({ name: z.string(), signature: z.string(), description: z.string() }))
    .describe("Classes and functions it defines for other files, with exact signatures"),
  usesFromOtherFiles: z.array(z.string()).describe("Names it imports from other repository files, as module.name"),
  algorithm: z.array(z.string()).describe("The steps it implements, with the paper's equations"),
  paperConstraints: z.array(z.string()).describe("Details the paper fixes that the code must respect, each with where the paper says it"),
  configKeys: z.array(z.string()).describe("Dotted config.yaml keys this file reads"),
  unclear: z.array(z.string()).describe("What the paper leaves open for this file, and the choice to make"),
});
export type Analysis = z.infer<typeof AnalysisSchema>;

/** What an analyst (and the analysis's verifier and refiner) read besides the paper. */
export const ANALYST_CONTEXT: ContextPart[] = ["plan", "config", "architecture"];

export function analystTask(input: FileTask & Design): string {
  const path = input.target;
  const file = input.files!.find((f) => f.path === path)!;
  return prompt("analyst", {
    path,
    files: renderFileTable(input.files!),
    logic: file.logic || "(the logic design gives no logic for this file)",
    dependsOn: file.dependsOn.join(", ") || "none",
    conventions: input.logic!.sharedConventions,
  });
}

/** Analyst: a detailed specification of one file, run once per file in parallel. */
export async function analystNode(task: FileTask, config?: RunnableConfig) {
  const input = await withDesign(task);
  const path = input.target;
  const asked = await askJson(await modelFor(config), await contextOf(input, ANALYST_CONTEXT), analystTask(input), AnalysisSchema, {
    agent: "analyst",
    file: path,
    schemaName: "file_analysis",
  });
  // The analysis uses config.yaml's key paths: a near miss is corrected here, at no call; the rest the check reports.
  const { analysis, renamed } = input.config!.valid ? alignKeys(asked.value, input.config!.keys) : { analysis: asked.value, renamed: [] };
  await writeArtifact(input.outDir!, `analysis/${path}.md`, renderAnalysis(path, analysis));
  return {
    analyses: { [path]: analysis },
    calls: asked.calls,
    notes: [
      ...asked.repairs.map((r) => `analyst re-asked for ${path}: ${r}`),
      ...(renamed.length ? [`analysis of ${path}: config keys aligned with config.yaml: ${renamed.map(([a, b]) => `${a} -> ${b}`).join(", ")}`] : []),
    ],
  };
}
