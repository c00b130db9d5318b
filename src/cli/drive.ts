import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { compilePaperToCode } from "../../graphs/paper2code.js";
import { describeLocation } from "../checkpointer.js";
import { AgentOutputError, ExitCode, UserError, errorMessage } from "../errors.js";
import { BudgetExceededError } from "../llm/budget.js";
import { summarizeCalls, type CallRecord } from "../llm/usage.js";
import { lockRun, pendingReview } from "../runs.js";
import type { ReviewRequest } from "../review/types.js";
import { writeRunReport, type WorkerPart } from "../run-report.js";
import type { PaperToCodeState } from "../state.js";
import { driveGraph, startSpending, STOPPED_EXIT_CODE } from "./drive-graph.js";
import { Progress } from "./progress.js";
import { runEvents } from "./run-events.js";

export type PaperToCodeGraph = ReturnType<typeof compilePaperToCode>;

export interface DriveOptions {
  graph: PaperToCodeGraph;
  threadId: string;
  outDir: string;
  configurable: Record<string, unknown>;
  /** The graph's input: a new run's inputs, a Command with a review decision, or null to go on. */
  input: unknown;
  /** Start from this checkpoint (a rewind's fork) instead of the thread's latest. */
  checkpointId?: string;
  model: string;
  /** provider:name, for the price table. */
  modelSpec?: string;
  /** Where the checkpoints are (recorded in run.json). */
  checkpointer: string;
  /** The --checkpointer the user gave, repeated in the commands printed to continue. */
  checkpointerArg?: string;
  startedAt: string;
  json?: boolean;
  quiet?: boolean;
  /** Plain progress lines even on a terminal. */
  plain?: boolean;
  /** false: no report.html (--no-report). */
  report?: boolean;
  /** The worker that drives this part of the run (run.json: workers). */
  worker?: string;
  /** Settings given at a continuation in place of the run's own (run.json: settingsChanged). */
  settingsChanged?: { at: string; setting: string; was: unknown; now: unknown }[];
}

/**
 * Run the graph until it ends, pauses for a review, fails or is told to stop,
 * then write run.json and say how to continue. Every step is checkpointed;
 * SIGINT/SIGTERM stop at the next step boundary (a second signal stops at once).
 */
export async function driveRun(options: DriveOptions): Promise<number> {
  const { graph, threadId, outDir } = options;
  // The budget covers the whole run: what earlier processes spent counts.
  const before = await graph.getState({ configurable: { thread_id: threadId } });
  const earlierCalls = (before.values as Partial<PaperToCodeState>).calls ?? [];
  const progress = new Progress({
    enabled: !options.quiet,
    live: !options.quiet && !options.json && !options.plain && process.stderr.isTTY === true,
    color: process.stderr.isTTY === true && !process.env.NO_COLOR && !options.plain,
    earlierCalls,
  });
  startSpending(threadId, earlierCalls, options.configurable.budgetUsd as number | undefined, options.modelSpec ?? "");
  const unlock = lockRun(outDir);
  const configurable = {
    ...options.configurable,
    thread_id: threadId,
    // The graph's own report.html is for servers (Studio); the CLI writes it below, after run.json has the run's status.
    report: false,
    ...(options.checkpointId ? { checkpoint_id: options.checkpointId } : {}),
  };
  // Concurrency is enforced by the model client's request queue, not LangGraph's maxConcurrency
  // (with maxConcurrency 1, LangGraph 1.7 ends a run early when a step has parallel tasks).
  const config: RunnableConfig = { configurable, recursionLimit: 1000 };

  // Calls of steps that failed in earlier attempts (paid, never in the state) and the workers that drove
  // earlier parts: run.json keeps counting both.
  const { failedStepCalls, workers } = earlierReport(outDir);
  const started = Date.now();
  await progress.start();
  const driven = await driveGraph(graph, options.input, config, {
    stop: "at-checkpoint",
    stopping: "stopping after the current step (send it again to stop now; nothing saved is lost)",
    onUpdate: (node, update) => {
      progress.nodeDone(node, update);
      if (update) runEvents.emit("update", threadId, node, update);
    },
  });
  progress.stop();
  const { stopSignal, updates: nodes } = driven;
  let { error } = driven;

  try {
    const snapshot = await graph.getState({ configurable: { thread_id: threadId } });
    const state = snapshot.values as PaperToCodeState;
    const review = pendingReview(snapshot);
    if (!error && !stopSignal && !review && snapshot.tasks.length > 0) {
      error = new Error(`the graph stopped before finishing (next: ${snapshot.tasks.map((t) => t.name).join(", ")})`);
    }
    if (error instanceof AgentOutputError && error.calls) failedStepCalls.push(...error.calls);
    const overBudget = error instanceof BudgetExceededError;
    const status = review
      ? "awaiting review"
      : overBudget
        ? "stopped: budget"
        : stopSignal && !error
          ? "stopped"
          : error
            ? "failed"
            : (state.status ?? "failed");
    const report = await writeRunReport(outDir, state, {
      status,
      error: error ? errorMessage(error) : undefined,
      threadId,
      model: options.model,
      checkpointer: describeLocation(options.checkpointer),
      startedAt: options.startedAt,
      finishedAt: new Date().toISOString(),
      timings: timingsOf(state, Date.now() - started),
      resources: { maxRssKiB: process.resourceUsage().maxRSS, nodes },
      failedStepCalls,
      settingsChanged: options.settingsChanged,
      workers: options.worker
        ? [...workers, workerPart(options.worker, started, status, (state.calls ?? []).slice(earlierCalls.length))]
        : workers,
    });
    const reportHtml = options.report === false ? undefined : await writeReport(outDir, progress);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...summaryOf(report), ...(reportHtml ? { reportHtml } : {}) }, null, 2)}\n`);

    const flag = options.checkpointerArg ? ` --checkpointer ${describeLocation(options.checkpointerArg)}` : "";
    const resumeHint = `paper2code resume ${threadId}${flag}`;
    if (error instanceof BudgetExceededError) {
      throw new UserError(`${error.message}\n  to continue with a larger budget: ${resumeHint} --budget <USD>`, ExitCode.budget);
    }
    if (error) {
      if (error instanceof UserError) throw error;
      const reason = error instanceof AgentOutputError ? error.message : `${errorMessage(error).split("\n")[0]}`;
      throw new UserError(
        `run failed: ${reason}\n  details: ${join(outDir, "run.json")}\n  to retry from where it stopped: ${resumeHint}`,
        ExitCode.model,
      );
    }
    if (stopSignal) {
      process.stderr.write(`stopped by ${stopSignal}; to continue: ${resumeHint}\n`);
      return STOPPED_EXIT_CODE;
    }
    if (review) {
      printReviewHelp(threadId, outDir, review, flag);
      return ExitCode.awaitingReview;
    }
    const total = report.usage.total;
    const replayed = state.calls.filter((c) => c.replayed).length;
    progress.line(
      `${status === "complete" ? "done" : "INCOMPLETE"}: ${report.files.length} files in ${join(outDir, "repo")}; ` +
        `${total.calls} calls, ${total.inputTokens.toLocaleString("en")} input / ${total.outputTokens.toLocaleString("en")} output tokens, ` +
        (report.costUsd === null ? "cost unknown" : `$${report.costUsd.toFixed(2)}`) +
        (replayed ? ` (${replayed} answered from the call journal, not paid again)` : ""),
    );
    const repairs = report.repairs;
    if (repairs.items.length) {
      progress.line(
        `replies repaired: ${repairs.reasks} re-asked, ${repairs.continuations} continued past the token limit, ${repairs.tolerated} read tolerantly (run.json: repairs)`,
      );
    }
    const checks = report.checks;
    if (checks) {
      progress.line(
        checks.ok
          ? `static checks: all passed${checks.rounds > 1 ? ` after ${checks.rounds - 1} repair round(s)` : ""}`
          : checks.issues.every((i) => i.disputed)
            ? `static checks: ${checks.issues.length} finding(s) disputed by the coder and kept as written, see ${join(outDir, "artifacts", "checks.json")}`
            : `static checks: ${checks.issues.filter((i) => !i.disputed).length} problem(s) remain, see ${join(outDir, "artifacts", "checks.json")}`,
      );
    }
    const execution = report.execution;
    if (execution) {
      const share = execution.totalLines
        ? ` (${execution.modifiedLines} of ${execution.totalLines} lines, ${(100 * execution.share!).toFixed(2)}%, modified)`
        : "";
      progress.line(
        execution.passed
          ? `smoke run: passed${execution.debugRounds ? ` after ${execution.debugRounds} debugger round(s)${share}` : " with no change"} [${execution.isolation}]`
          : `smoke run: FAILED [${execution.failure?.kind}] ${execution.failure?.summary} after ${execution.debugRounds} debugger round(s)${share}; output in ${join(outDir, execution.runs.at(-1)!.log)}`,
      );
    }
    const unresolved = Object.entries(report.reviews)
      .filter(([, r]) => !r.passed)
      .map(([k]) => k);
    if (unresolved.length) progress.line(`reviews with problems left: ${unresolved.join(", ")} (see artifacts/reviews/)`);
    if (reportHtml) progress.line(`report: ${reportHtml}`);
    if (status !== "complete") {
      throw new UserError(`run incomplete: ${state.notes.at(-1) ?? "see run.json"}`, ExitCode.incomplete);
    }
    return execution && !execution.passed ? ExitCode.smokeFailed : ExitCode.ok;
  } finally {
    unlock();
  }
}

function printReviewHelp(threadId: string, outDir: string, review: ReviewRequest, flag: string) {
  const lines = [
    `paused for review of the ${review.stage}: ${join(outDir, review.artifact)}`,
    ...(review.error ? [`  the last decision was refused: ${review.error}`] : []),
    `  approve:  paper2code resume ${threadId} --approve${flag}`,
    `  edit:     paper2code edit ${threadId} ${review.stage}${flag}   (opens $EDITOR; or --file <edited file>)`,
    ...(review.stage === "config" ? [`  or:       paper2code resume ${threadId} --set <key>=<value>${flag}`] : []),
  ];
  // The pause is the point of --review: say it even with --quiet.
  process.stderr.write(`${lines.join("\n")}\n`);
}

/** report.html; a report that cannot be written is a warning, never a lost run. */
async function writeReport(outDir: string, progress: Progress): Promise<string | undefined> {
  try {
    const { writeReportHtml } = await import("../report/run-page.js");
    return await writeReportHtml(outDir);
  } catch (error) {
    progress.line(`warning: report.html not written: ${errorMessage(error)}`);
    return undefined;
  }
}

/** What an earlier run.json of this run carried forward: failed steps' calls and the workers' parts. */
function earlierReport(outDir: string): { failedStepCalls: CallRecord[]; workers: WorkerPart[] } {
  try {
    const report = JSON.parse(readFileSync(join(outDir, "run.json"), "utf8")) as { failedStepCalls?: CallRecord[]; workers?: WorkerPart[] };
    return { failedStepCalls: report.failedStepCalls ?? [], workers: report.workers ?? [] };
  } catch {
    return { failedStepCalls: [], workers: [] };
  }
}

/** This process's part of the run, as a worker: when, how it ended, the calls it paid for (journal replays are not). */
function workerPart(worker: string, started: number, status: string, calls: CallRecord[]): WorkerPart {
  const finishedAt = new Date().toISOString();
  return { worker, startedAt: new Date(started).toISOString(), finishedAt, status, calls: calls.filter((c) => !c.replayed).length };
}

function timingsOf(state: PaperToCodeState, wallMs: number) {
  const byAgent = summarizeCalls(state.calls ?? []).byKey;
  const timings: Record<string, { ms: number; count: number }> = { wall: { ms: wallMs, count: 1 } };
  for (const agent of Object.keys(byAgent)) {
    const calls = state.calls.filter((c) => c.agent === agent);
    timings[agent] = { ms: calls.reduce((s, c) => s + c.durationMs, 0), count: calls.length };
  }
  return timings;
}

function summaryOf(report: Awaited<ReturnType<typeof writeRunReport>>) {
  const { calls: _calls, ...rest } = report;
  return rest;
}
