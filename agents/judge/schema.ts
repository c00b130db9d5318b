import { z } from "zod";

/** A judge's repository-level verdict: each component the paper requires, and a 1-5 score. */
export const RepositoryJudgmentSchema = z.object({
  components: z
    .array(
      z.object({
        name: z.string().min(1),
        severity: z.enum(["high", "medium", "low"]),
        status: z.enum(["correct", "partial", "missing", "incorrect"]),
        critique: z.string(),
      }),
    )
    .min(1)
    .describe("The components the paper requires, each with how the repository implements it"),
  summary: z.string().describe("The repository's fidelity to the paper, in a few sentences"),
  score: z.number().int().min(1).max(5).describe("1 (does not implement the method) to 5 (faithful and complete)"),
});
export type RepositoryJudgment = z.infer<typeof RepositoryJudgmentSchema>;
