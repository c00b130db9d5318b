import { z } from "zod";
import { normalizeFileList, validatedPaths } from "../../src/workspace/paths.js";

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

export function stripMermaidFence(text: string): string {
  return text
    .trim()
    .replace(/^```\s*mermaid\s*\n?/i, "")
    .replace(/\n?```\s*$/, "")
    .trim();
}

/** The architect's reply: paths normalised and confined (an unsafe one makes the reply re-asked), diagrams unfenced. */
export const ArchitectureReplySchema = ArchitectureSchema.transform((a) => ({
  ...a,
  files: validatedPaths(a.files, (files) => normalizeFileList(files)),
  classDiagram: stripMermaidFence(a.classDiagram),
  sequenceDiagram: stripMermaidFence(a.sequenceDiagram),
}));
