import { Command } from "@langchain/langgraph";
import { ExitCode, UserError } from "../errors.js";
import { applyEdit, type ReviewDecision } from "../../agents/reviewer.js";
import { editPoint, REVIEWABLE_STAGES, reviewedStage, type ReviewableStage } from "../../graphs/stages.js";
import { continuedSettings, drive, fork, withRun, type ContinueOptions } from "./continue-run.js";
import { editInEditor, readEditedFile, setConfigKeys } from "./artifact-edits.js";

export interface EditOptions extends ContinueOptions {
  file?: string;
  set?: string[];
}

/**
 * Edit an artifact (in $EDITOR, from --file, or --set for config keys). A run
 * paused for that artifact's review continues with it; any other run is forked
 * after the artifact's stage and everything downstream runs again.
 */
export async function editCommand(id: string, artifact: string, options: EditOptions): Promise<number> {
  if (!(REVIEWABLE_STAGES as readonly string[]).includes(artifact)) {
    throw new UserError(`cannot edit '${artifact}': artifacts are ${REVIEWABLE_STAGES.join(", ")}`, ExitCode.usage);
  }
  const stage = artifact as ReviewableStage;
  return withRun(id, options, async (run) => {
    if (run.summary.status === "running") throw new UserError(`run ${run.threadId} is running now`, ExitCode.usage);
    if (reviewedStage(stage).editable(run.state) === undefined)
      throw new UserError(`run ${run.threadId} has no ${stage} yet`, ExitCode.usage);
    const value = options.file
      ? readEditedFile(stage, options.file)
      : options.set?.length
        ? setConfigKeys(stage, run.state, options.set)
        : editInEditor(stage, run.state);
    const edited = applyEdit(reviewedStage(stage), value);
    if ("error" in edited) throw new UserError(`the edited ${stage} is not valid: ${edited.error}`, ExitCode.badInput);
    const settings = await continuedSettings(run, options);
    if (run.summary.review?.stage === stage) {
      return drive(run, options, new Command({ resume: { action: "edit", value } satisfies ReviewDecision }), settings);
    }
    const checkpointId = await fork(run, editPoint(stage, run.state.runSettings?.configurable), {
      ...edited.update,
      notes: [`${stage} edited by hand`],
    });
    return drive(run, options, null, settings, checkpointId);
  });
}
