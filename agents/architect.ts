import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { askJson } from "../src/llm/ask.js";
import { prompt } from "../src/prompts.js";
import { contextOf, type ContextPart } from "../src/llm/context.js";
import { renderArchitecture } from "../src/render/artifacts.js";
import type { PaperToCodeState } from "../src/state.js";
import { normalizeFileList } from "../src/workspace/paths.js";
import { writeArtifact } from "../src/workspace/writer.js";
import { stripMermaidFence, validatedPaths } from "./shared.js";

export const ArchitectureSchema = z.object({
  implementationApproach: z.string().describe("How the code is organised and which libraries it builds on"),
  files: z
    .array(z.object({ path: z.string(), purpose: z.string() }))
    .min(1)
    .describe("Every file of the repository, as relative paths"),
  classDiagram: z.string().describe("Mermaid classDiagram of the main classes, their fields, methods and relations"),
  sequenceDiagram: z.string().describe("Mermaid sequenceDiagram of the program flow from the entry point"),
});
export type Architecture = z.infer<typeof ArchitectureSchema>;

/** The architect's reply: paths normalised and confined (an unsafe one makes the reply re-asked), diagrams unfenced. */
export const ArchitectureReplySchema = ArchitectureSchema.transform((a) => ({
  ...a,
  files: validatedPaths(a.files, (files) => normalizeFileList(files)),
  classDiagram: stripMermaidFence(a.classDiagram),
  sequenceDiagram: stripMermaidFence(a.sequenceDiagram),
}));

/** What the architect (and its verifier and refiner) read besides the paper. */
export const ARCHITECT_CONTEXT: ContextPart[] = ["plan"];

export const architectTask = () => prompt("architect");

/** Architect: turns the plan into a file list and Mermaid class and sequence diagrams. */
export async function architectNode(state: PaperToCodeState, config?: RunnableConfig) {
  const asked = await askJson(await modelFor(config), await contextOf(state, ARCHITECT_CONTEXT), architectTask(), ArchitectureReplySchema, {
    agent: "architect",
    schemaName: "architecture",
  });
  await writeArtifact(state.outDir!, "architecture.md", renderArchitecture(asked.value));
  return { architecture: asked.value, calls: asked.calls, notes: asked.repairs.map((r) => `architect re-asked: ${r}`) };
}
