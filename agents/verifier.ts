import { z } from "zod";
import { askJson, type Asked } from "../src/llm/ask.js";
import type { SharedContext } from "../src/llm/context.js";
import type { ResolvedModel } from "../src/models/factory.js";
import { loadPrompt, prompt } from "../src/prompts.js";
import type { ReviewIssue, ReviewStage } from "../src/review/types.js";

export const VerdictSchema = z.object({
  passed: z.boolean().describe("True when the artifact can be used as it is"),
  score: z.number().int().min(1).max(5).describe("1 (unusable) to 5 (faithful and complete)"),
  issues: z
    .array(
      z.object({
        severity: z.enum(["high", "medium", "low"]),
        location: z.string().describe("Where in the artifact: a field, file, key or section"),
        problem: z.string(),
        suggestion: z.string().describe("How to fix it"),
      }),
    )
    .describe("Problems found; empty when none"),
  summary: z.string().describe("One or two sentences"),
});
export type Verdict = z.infer<typeof VerdictSchema>;

const STAGE_LABEL: Record<ReviewStage, string> = {
  plan: "the reproduction plan",
  architecture: "the architecture",
  logic: "the logic design",
  config: "config.yaml",
  analysis: "the file analysis",
};

export function renderIssues(issues: ReviewIssue[]): string {
  if (issues.length === 0) return "(none)";
  return issues.map((i) => `- [${i.severity}] ${i.location}: ${i.problem}${i.suggestion ? ` (fix: ${i.suggestion})` : ""}`).join("\n");
}

/** Verifier: a structured verdict on one artifact, against the paper, a stage checklist and the deterministic findings. */
export async function verifyArtifact(
  model: ResolvedModel,
  context: SharedContext,
  input: { stage: ReviewStage; file?: string; artifact: string; checks: ReviewIssue[] },
): Promise<Asked<Verdict>> {
  const task = prompt("verifier", {
    what: input.file ? `${STAGE_LABEL[input.stage]} of \`${input.file}\`` : STAGE_LABEL[input.stage],
    checklist: loadPrompt(`checklists/${input.stage}`),
    artifact: input.artifact,
    checks: renderIssues(input.checks),
  });
  return askJson(model, context, task, VerdictSchema, { agent: "verifier", file: input.file, schemaName: "verdict" });
}

/** The verifier's issues, in the shape the deterministic checks use. */
export function verdictIssues(verdict: Verdict): ReviewIssue[] {
  return verdict.issues.map((i) => ({ ...i, source: "verifier" as const }));
}
