import { describeExecution, executionRequestFrom, type ExecutionOptions } from "../execution/runner.js";
import { ExitCode, UserError } from "../errors.js";
import { continuedSettings, drive, withRun, type ContinueOptions } from "./continue-run.js";

export interface DebugOptions extends ContinueOptions, ExecutionOptions {}

/**
 * Run a finished run's smoke test and debug it: a new checkpoint after
 * finalize carrying the execution request, from which the graph goes on to
 * the smoke run and the debugger (each round checkpointed, so resumable).
 */
export async function debugCommand(id: string, options: DebugOptions): Promise<number> {
  return withRun(id, options, async (run) => {
    if (run.summary.status === "running") throw new UserError(`run ${run.threadId} is running now`, ExitCode.usage);
    if (run.state.status !== "complete") {
      throw new UserError(
        `run ${run.threadId} has not finished writing its repository (status ${run.state.status ?? run.summary.status}); resume it first`,
        ExitCode.usage,
      );
    }
    const execute = { ...executionRequestFrom(options), roundsFrom: run.state.debugRounds.length };
    if (!options.quiet) process.stderr.write(`${describeExecution(execute, run.state.outDir!)}\n`);
    const settings = await continuedSettings(run, options);
    const forked = await run.graph.updateState(run.snapshot.config, { execute, notes: ["debug: smoke run requested"] }, "finalize");
    return drive(run, options, null, settings, String(forked.configurable?.checkpoint_id));
  });
}
