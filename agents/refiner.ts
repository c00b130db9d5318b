import { prompt } from "../src/prompts.js";
import type { ReviewIssue, ReviewStage } from "../src/review/types.js";
import { renderIssues } from "./verifier.js";

/**
 * Refiner: the task of the agent that made the artifact, plus the current
 * artifact and the critique, asking for a corrected artifact in the same format.
 * The original task's heading is demoted so the request reads as a revision.
 */
export function refineTask(input: { stage: ReviewStage; file?: string; instructions: string; current: string; critique: ReviewIssue[]; format: string }): string {
  return prompt("refine", {
    what: input.file ? `${input.stage} of \`${input.file}\`` : input.stage,
    instructions: input.instructions.replace(/^# Task:/m, "## The original task:"),
    current: input.current,
    critique: renderIssues(input.critique),
    format: input.format,
  });
}
