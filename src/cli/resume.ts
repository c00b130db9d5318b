import { Command } from "@langchain/langgraph";
import { ExitCode, UserError } from "../errors.js";
import { applyEdit, type ReviewDecision } from "../../agents/reviewer.js";
import { reviewedStage, type ReviewableStage } from "../../graphs/stages.js";
import type { PaperToCodeState } from "../state.js";
import { continuedSettings, drive, withRun, type ContinueOptions } from "./continue-run.js";
import { readEditedFile, setConfigKeys } from "./artifact-edits.js";

export interface ResumeOptions extends ContinueOptions {
  approve?: boolean;
  set?: string[];
  file?: string;
}

/** Continue a stopped, failed or paused run from its last checkpoint; completed calls are not made again. */
export async function resumeCommand(id: string, options: ResumeOptions): Promise<number> {
  return withRun(id, options, async (run) => {
    const { summary } = run;
    const deciding = options.approve || options.set?.length || options.file;
    if (summary.status === "running") throw new UserError(`run ${run.threadId} is running now`, ExitCode.usage);
    if (summary.status === "complete" || summary.status === "incomplete") {
      process.stderr.write(
        `run ${run.threadId} has ended (${summary.status}); nothing to resume (rewind --to <stage> runs a stage again)\n`,
      );
      return summary.status === "complete" ? ExitCode.ok : ExitCode.incomplete;
    }
    let input: unknown = null;
    if (summary.review) {
      if (!deciding) {
        throw new UserError(
          `run ${run.threadId} is waiting for a review of the ${summary.review.stage}: add --approve, --set key=value (config) or --file <edited artifact>, or use paper2code edit`,
          ExitCode.awaitingReview,
        );
      }
      input = new Command({ resume: decisionFrom(summary.review.stage, run.state, options) });
    } else if (deciding) {
      throw new UserError(
        `run ${run.threadId} is not waiting for a review; --approve, --set and --file apply to a paused run`,
        ExitCode.usage,
      );
    }
    return drive(run, options, input, await continuedSettings(run, options));
  });
}

function decisionFrom(stage: ReviewableStage, state: PaperToCodeState, options: ResumeOptions): ReviewDecision {
  if (options.approve) return { action: "approve" };
  const value = options.file ? readEditedFile(stage, options.file) : setConfigKeys(stage, state, options.set ?? []);
  const edited = applyEdit(reviewedStage(stage), value);
  if ("error" in edited) throw new UserError(`the edited ${stage} is not valid: ${edited.error}`, ExitCode.badInput);
  return { action: "edit", value };
}
