import { codersWaitForAnalyses } from "../configuration.js";
import { ExitCode, UserError } from "../errors.js";
import { applyEdit } from "../../agents/reviewer.js";
import { PIPELINE_STAGES, reviewedStage, rewindPoint, type PipelineStage } from "../../graphs/stages.js";
import type { PaperToCodeUpdate } from "../state.js";
import { continuedSettings, drive, fork, withRun, type ContinueOptions } from "./continue-run.js";
import { setConfigKeys } from "./artifact-edits.js";

export interface RewindOptions extends ContinueOptions {
  to?: string;
  set?: string[];
}

/**
 * Run a stage and everything after it again, from the checkpoint history. The
 * earlier branch stays in the history. The stage's model calls are made afresh;
 * other stages' identical requests are answered from the call journal.
 */
export async function rewindCommand(id: string, options: RewindOptions): Promise<number> {
  const to = options.to ?? (options.set?.length ? "analysis" : undefined);
  if (!to || !(PIPELINE_STAGES as readonly string[]).includes(to)) {
    throw new UserError(`rewind needs --to <stage> (stages: ${PIPELINE_STAGES.join(", ")})`, ExitCode.usage);
  }
  const stage = to as PipelineStage;
  if (options.set?.length && PIPELINE_STAGES.indexOf(stage) < PIPELINE_STAGES.indexOf("analysis")) {
    throw new UserError(
      `--set edits config.yaml, which --to ${stage} would write again; rewind to analysis, coding or checks`,
      ExitCode.usage,
    );
  }
  return withRun(id, options, async (run) => {
    if (run.summary.status === "running") throw new UserError(`run ${run.threadId} is running now`, ExitCode.usage);
    const update: PaperToCodeUpdate = { notes: [`rewound to ${stage}`] };
    if (options.set?.length) {
      const edited = applyEdit(reviewedStage("config"), setConfigKeys("config", run.state, options.set));
      if ("error" in edited) throw new UserError(`the edited config is not valid: ${edited.error}`, ExitCode.badInput);
      Object.assign(update, edited.update);
    }
    const rewind = `${stage}@${Date.now().toString(36)}`;
    const settings = await continuedSettings(run, options, { rewind });
    if (run.state.runSettings)
      update.runSettings = { ...run.state.runSettings, configurable: { ...run.state.runSettings.configurable, rewind } };
    // Without the analysis barrier, coding re-runs in the file tasks: they are given the analyses, so no analyst runs again.
    if (stage === "coding" && !codersWaitForAnalyses(run.state.runSettings?.configurable)) update.analyses = run.state.analyses;
    const checkpointId = await fork(run, rewindPoint(stage, run.state.runSettings?.configurable), update);
    return drive(run, options, null, settings, checkpointId);
  });
}
