import type { RunnableConfig } from "@langchain/core/runnables";
import type { StreamMode } from "@langchain/langgraph";
import { rootCause } from "../errors.js";
import { startBudget } from "../llm/budget.js";
import { costOfCalls, hasPrice } from "../llm/prices.js";
import type { CallRecord } from "../llm/usage.js";

/** What stops a run cleanly: Ctrl-C, a kill, and a closed terminal (SIGHUP). */
export const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Exit code of a run stopped by SIGINT, SIGTERM or SIGHUP (128 + SIGINT). */
export const STOPPED_EXIT_CODE = 130;

interface StreamingGraph {
  stream(input: never, options: RunnableConfig & { streamMode: StreamMode[]; signal?: AbortSignal }): Promise<AsyncIterable<unknown>>;
}

export interface Driven {
  /** Why the graph stopped, when it failed (its root cause). */
  error?: unknown;
  /** The signal that stopped it, when one did. */
  stopSignal?: NodeJS.Signals;
  /** Node updates streamed. */
  updates: number;
}

/**
 * Stream a graph to its end, handing each node's update to `onUpdate`. A stop
 * signal ends it at the next checkpoint (`stop: "at-checkpoint"`: a run, whose
 * every step is kept) or at once (`stop: "abort"`: an evaluation, whose
 * judgments are kept as they land); a second signal exits at once.
 */
export async function driveGraph(
  graph: StreamingGraph,
  input: unknown,
  config: RunnableConfig,
  options: { stop: "at-checkpoint" | "abort"; stopping: string; onUpdate(node: string, update: Record<string, unknown>): void },
): Promise<Driven> {
  const abort = new AbortController();
  let stopSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopSignal) process.exit(STOPPED_EXIT_CODE);
    stopSignal = signal;
    process.stderr.write(`\n${signal}: ${options.stopping}\n`);
    if (options.stop === "abort") abort.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let updates = 0;
  let error: unknown;
  try {
    const streamMode: StreamMode[] = options.stop === "at-checkpoint" ? ["updates", "checkpoints"] : ["updates"];
    const stream = await graph.stream(input as never, {
      ...config,
      streamMode,
      ...(options.stop === "abort" ? { signal: abort.signal } : {}),
    });
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "updates") {
        for (const [node, update] of Object.entries(chunk as Record<string, Record<string, unknown>>)) {
          if (node === "__interrupt__" || node === "__metadata__") continue;
          updates += 1;
          options.onUpdate(node, update);
        }
      } else if (stopSignal) {
        break; // a checkpoint was just saved: the step boundary
      }
    }
  } catch (caught) {
    // An aborted evaluation throws its abort: that is the stop, not a failure.
    error = options.stop === "abort" && stopSignal ? undefined : rootCause(caught);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  return { error, stopSignal, updates };
}

/** The budget covers the whole run or evaluation: what earlier processes spent counts. A budget without a price cannot be kept: said once. */
export function startSpending(threadId: string, earlierCalls: CallRecord[], budgetUsd: number | undefined, modelSpec: string) {
  startBudget(threadId, costOfCalls(earlierCalls) ?? 0);
  if (budgetUsd !== undefined && !hasPrice(modelSpec)) {
    process.stderr.write(`warning: --budget is not enforced: no price is known for ${modelSpec} (add one with --prices)\n`);
  }
}
