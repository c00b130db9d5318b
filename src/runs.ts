import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import type { StateSnapshot } from "@langchain/langgraph";
import { ExitCode, isAbort, UserError } from "./errors.js";
import { costOfCalls } from "./llm/prices.js";
import { summarizeCalls } from "./llm/usage.js";
import type { ReviewRequest } from "./review/types.js";
import type { PaperToCodeState } from "./state.js";

export type ThreadStatus = "complete" | "incomplete" | "awaiting review" | "running" | "failed" | "stopped";

/** What `paper2code runs` shows about one thread. */
export interface RunSummary {
  id: string;
  paper?: string;
  status: ThreadStatus;
  /** The stage(s) the run would continue with. */
  stage: string;
  review?: ReviewRequest;
  error?: string;
  outDir?: string;
  model?: string;
  updatedAt?: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; undefined when a model's price is unknown. */
  cost?: number;
}

export function pendingReview(snapshot: StateSnapshot): ReviewRequest | undefined {
  for (const task of snapshot.tasks) {
    const found = task.interrupts.find((i) => (i.value as ReviewRequest | undefined)?.stage);
    if (found) return found.value as ReviewRequest;
  }
  return undefined;
}

function reportedError(outDir: string | undefined): { message: string } | undefined {
  if (!outDir) return undefined;
  try {
    const report = JSON.parse(readFileSync(join(outDir, "run.json"), "utf8")) as { error?: string };
    return report.error ? { message: report.error } : undefined;
  } catch {
    return undefined;
  }
}

/** A run's summary; `stageOfNode` names the stage of a node that is still to run. */
export function summarizeThread(id: string, snapshot: StateSnapshot, stageOfNode: (node: string) => string | undefined): RunSummary {
  const state = snapshot.values as Partial<PaperToCodeState>;
  const calls = state.calls ?? [];
  const usage = summarizeCalls(calls);
  const review = pendingReview(snapshot);
  // When one parallel task fails, LangGraph aborts its siblings: report the failure, not the aborts.
  // A failure inside a task a node started (a coder) is not among the snapshot's tasks; run.json has it.
  const errors = snapshot.tasks.filter((t) => t.error).map((t) => t.error as { name?: string; message?: string });
  const error = errors.find((e) => !isAbort(e)) ?? (errors.length ? (reportedError(state.outDir) ?? errors[0]) : undefined);
  // `next` leaves out tasks whose results are saved but whose step has not ended: tasks has them all.
  const pending = snapshot.tasks.map((t) => t.name);
  const stages = [...new Set(pending.map((n) => stageOfNode(n) ?? (n === "__start__" || n === "ingest" ? "paper" : n)))];
  let status: ThreadStatus;
  if (review) status = "awaiting review";
  else if (state.outDir && lockHolder(state.outDir)) status = "running";
  else if (pending.length === 0) status = state.status === "complete" ? "complete" : "incomplete";
  else status = error && !/^budget of \$/.test(String(error.message)) ? "failed" : "stopped";
  return {
    id,
    paper: state.paper?.title,
    status,
    stage: review ? review.stage : stages.join(", ") || "done",
    ...(review ? { review } : {}),
    ...(error ? { error: String(error.message ?? error) } : {}),
    outDir: state.outDir,
    model: state.runSettings?.configurable.model as string | undefined,
    updatedAt: snapshot.createdAt,
    calls: usage.total.calls,
    inputTokens: usage.total.inputTokens,
    outputTokens: usage.total.outputTokens,
    cost: costOfCalls(calls),
  };
}

/** Evaluations share the checkpoint database with runs; their threads are named eval-<hash of the inputs>. */
export const EVAL_THREAD_PREFIX = "eval-";
export const isEvaluationThread = (id: string) => id.startsWith(EVAL_THREAD_PREFIX);

/** Find a run's thread by its id or an unambiguous prefix of it (the 8 characters in the run folder's name do). */
export function resolveThreadId(idOrPrefix: string, allThreads: string[]): string {
  if (isEvaluationThread(idOrPrefix)) {
    throw new UserError(
      `${idOrPrefix} is an evaluation, not a run: run the same \`paper2code eval\` command again to continue it`,
      ExitCode.usage,
    );
  }
  const threads = allThreads.filter((t) => !isEvaluationThread(t));
  if (threads.includes(idOrPrefix)) return idOrPrefix;
  const matches = threads.filter((t) => t.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new UserError(`run id '${idOrPrefix}' is ambiguous: ${matches.join(", ")}`, ExitCode.usage);
  throw new UserError(`no run '${idOrPrefix}' in the checkpoint database (paper2code runs lists them)`, ExitCode.notFound);
}

// One process at a time per run folder: two resumes of one run would pay for the same calls twice.
const lockPath = (outDir: string) => join(outDir, ".paper2code", "run.lock");

interface Lock {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process that holds the run folder, if any (a lock left by a killed process does not count). */
export function lockHolder(outDir: string): Lock | undefined {
  let lock: Lock;
  try {
    lock = JSON.parse(readFileSync(lockPath(outDir), "utf8")) as Lock;
  } catch {
    return undefined;
  }
  if (lock.pid === process.pid) return undefined;
  return lock.host === hostname() && alive(lock.pid) ? lock : undefined;
}

export function lockRun(outDir: string): () => void {
  const holder = lockHolder(outDir);
  if (holder) throw new UserError(`this run is already going on in process ${holder.pid}; wait for it or stop it first`, ExitCode.usage);
  const path = lockPath(outDir);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Lock));
  return () => rmSync(path, { force: true });
}
