import type { RunnableConfig } from "@langchain/core/runnables";
import { interrupt } from "@langchain/langgraph";
import { z } from "zod";
import { settingsOf } from "../src/configuration.js";
import { describeZodError } from "../src/llm/ask.js";
import type { ReviewRequest } from "../src/review/types.js";
import type { PaperToCodeState, PaperToCodeUpdate } from "../src/state.js";
import type { ReviewedStage } from "./stage.js";

/** The answer to a review: go on as is, or go on with this artifact instead. */
export const ReviewDecisionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve") }),
  z.object({ action: z.literal("edit"), value: z.unknown() }),
]);
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

/** Turn an edited artifact into a state update, or say what is wrong with it. */
export function applyEdit(stage: ReviewedStage, value: unknown): { update: PaperToCodeUpdate } | { error: string } {
  try {
    return { update: stage.applyEdit(value) };
  } catch (error) {
    return { error: error instanceof z.ZodError ? describeZodError(error) : (error as Error).message };
  }
}

/** Write an edited artifact where the agent's own version goes. */
export async function writeEditedArtifact(outDir: string, stage: ReviewedStage, update: PaperToCodeUpdate, state: PaperToCodeState) {
  if (stage.writeEdit) return stage.writeEdit(outDir, update, state);
  return stage.write(outDir, stage.get(update as never), state);
}

/**
 * Reviewer (a person): the gate at the end of a stage. When the stage is under
 * review it pauses the run (interrupt) until a decision arrives: approve, or
 * edit with a new artifact. An edit that does not validate pauses again with the reason.
 */
export function reviewGate(stage: ReviewedStage, reviewable: readonly string[]) {
  return async (state: PaperToCodeState, config?: RunnableConfig): Promise<PaperToCodeUpdate> => {
    if (!settingsOf(config).reviewed(reviewable).includes(stage.name)) return {};
    let error: string | undefined;
    for (;;) {
      const request: ReviewRequest = {
        stage: stage.name,
        artifact: stage.artifactFile,
        current: stage.editable(state),
        ...(error ? { error } : {}),
        how: `approve: {"action":"approve"}; edit: {"action":"edit","value":<the artifact in the form of 'current'>}`,
      };
      const parsed = ReviewDecisionSchema.safeParse(interrupt<ReviewRequest, unknown>(request));
      if (!parsed.success) {
        error = `not a review decision: ${describeZodError(parsed.error)}`;
        continue;
      }
      if (parsed.data.action === "approve") return { notes: [`${stage.name} approved by a reviewer`] };
      const edited = applyEdit(stage, parsed.data.value);
      if ("error" in edited) {
        error = `the edited ${stage.name} is not valid: ${edited.error}`;
        continue;
      }
      await writeEditedArtifact(state.outDir!, stage, edited.update, state);
      return { ...edited.update, notes: [`${stage.name} edited by a reviewer`] };
    }
  };
}
