import { existsSync } from "node:fs";
import { join } from "node:path";
import { resultOf, type BatchPaper } from "../batch/ledger.js";
import { ExitCode, UserError, errorMessage } from "../errors.js";
import { STOPPED_EXIT_CODE } from "./drive-graph.js";
import type { RunOptions } from "./run.js";

/* One paper of a batch, run here (batch) or on a worker (worker). */

export interface BatchOptions extends RunOptions {
  papersAtOnce?: number;
  queue?: string;
}

const STATUS_OF_EXIT: Record<number, BatchPaper["status"]> = {
  [ExitCode.ok]: "complete",
  [ExitCode.awaitingReview]: "awaiting review",
  [STOPPED_EXIT_CODE]: "stopped",
  [ExitCode.budget]: "stopped",
  [ExitCode.incomplete]: "incomplete",
  [ExitCode.smokeFailed]: "failed",
};

/** One attempt at a paper: a new run, or a resume of its thread; the ledger entry takes the outcome. */
export async function runOnce(entry: BatchPaper, options: BatchOptions, checkpointer: string) {
  entry.attempts += 1;
  entry.status = "running";
  entry.startedAt = new Date().toISOString();
  const started = Date.now();
  const quietly = { ...options, checkpointer, quiet: true, json: false, out: entry.outDir, threadId: entry.threadId };
  let code: number;
  const run = async () => (await import("./run.js")).runCommand([entry.paper], { ...quietly, force: true });
  try {
    // Begun before (its folder holds the run's bookkeeping): resumed from its checkpoint; a start killed before its first one begins again.
    if (existsSync(join(entry.outDir, ".paper2code"))) {
      try {
        code = await (await import("./resume.js")).resumeCommand(entry.threadId, quietly);
      } catch (error) {
        if (!(error instanceof UserError && error.exitCode === ExitCode.notFound)) throw error;
        code = await run();
      }
    } else code = await run();
  } catch (error) {
    code = error instanceof UserError ? error.exitCode : ExitCode.failure;
    entry.reasons.push(errorMessage(error).split("\n")[0]!);
  }
  entry.status = STATUS_OF_EXIT[code] ?? "failed";
  entry.finishedAt = new Date().toISOString();
  entry.ms = (entry.ms ?? 0) + (Date.now() - started);
  Object.assign(entry, resultOf(entry));
}
