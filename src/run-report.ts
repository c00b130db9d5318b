import { join } from "node:path";
import { modifiedShare } from "./execution/diff-stats.js";
import { costOfCalls, costsBy } from "./llm/prices.js";
import { summarizeCalls, type CallRecord } from "./llm/usage.js";
import type { PaperToCodeState } from "./state.js";
import { tempDirOf, writeFileAtomic } from "./workspace/writer.js";

const STAGE_OF_AGENT: Record<string, string> = {
  planner: "planning",
  architect: "planning",
  logic_designer: "planning",
  config_writer: "planning",
  analyst: "analysis",
  coder: "coding",
  debugger: "execution",
};

/** Verifier and refiner calls count under the stage they review: a file's analysis, or planning. */
export const stageOf = (call: CallRecord) => STAGE_OF_AGENT[call.agent] ?? (call.file ? "analysis" : "planning");

/** One worker's part of a run: when, how it ended, how many calls it made (replies replayed from the journal not counted). */
export interface WorkerPart {
  worker: string;
  startedAt: string;
  finishedAt: string;
  status: string;
  calls: number;
}

export interface RunReportExtra {
  threadId?: string;
  model?: string;
  status?: string;
  error?: string;
  startedAt?: string;
  finishedAt?: string;
  timings?: Record<string, { ms: number; count: number }>;
  checkpointer?: string;
  /** Peak memory of the process and how many node and task runs it streamed. */
  resources?: { maxRssKiB: number; nodes: number };
  /** Calls made by steps that failed (so not in the checkpointed state): paid, and counted. */
  failedStepCalls?: CallRecord[];
  /** Which worker drove which part of the run (batch --queue), in order. */
  workers?: WorkerPart[];
  /** Settings given at a continuation in place of the run's own. */
  settingsChanged?: { at: string; setting: string; was: unknown; now: unknown }[];
}

/** run.json: what happened, what it cost in tokens, and where everything is. */
export function buildRunReport(state: Partial<PaperToCodeState>, extra: RunReportExtra = {}) {
  const calls = [...(state.calls ?? []), ...(extra.failedStepCalls ?? [])];
  const byAgent = summarizeCalls(calls);
  const byStage = summarizeCalls(calls, stageOf);
  const byModel = summarizeCalls(calls, (c) => c.model);
  return {
    status: extra.status ?? state.status ?? "running",
    ...(extra.error ? { error: extra.error } : {}),
    threadId: extra.threadId,
    model: extra.model,
    checkpointer: extra.checkpointer,
    startedAt: extra.startedAt,
    finishedAt: extra.finishedAt,
    paper: state.paper
      ? {
          title: state.paper.title,
          source: state.paper.source,
          kind: state.paper.kind,
          tokens: state.paper.tokens,
          ...(state.paper.sent ? { sent: state.paper.sent } : {}),
          dropped: state.paper.dropped,
          warnings: state.paper.warnings,
        }
      : undefined,
    outDir: state.outDir,
    order: (state.files ?? []).map((f) => f.path),
    files: Object.values(state.code ?? {}).map(({ path, bytes, lines }) => ({ path, bytes, lines })),
    usage: {
      total: byAgent.total,
      byStage: byStage.byKey,
      byAgent: byAgent.byKey,
      byModel: byModel.byKey,
      byFile: summarizeCalls(
        calls.filter((c) => c.file),
        (c) => c.file!,
      ).byKey,
    },
    /** USD from the price table; null when a model's price is unknown. */
    costUsd: costOfCalls(calls) ?? null,
    /** Calls answered from the call journal (paid before, once): not money spent again. */
    replayed: {
      calls: calls.filter((c) => c.replayed).length,
      costUsd: costOfCalls(calls.filter((c) => c.replayed).map((c) => ({ ...c, replayed: false }))) ?? null,
    },
    cost: {
      byStage: costsBy(calls, stageOf),
      byModel: costsBy(calls, (c) => c.model),
      byFile: costsBy(
        calls.filter((c) => c.file),
        (c) => c.file!,
      ),
    },
    ...(extra.failedStepCalls?.length ? { failedStepCalls: extra.failedStepCalls } : {}),
    ...(extra.settingsChanged?.length ? { settingsChanged: extra.settingsChanged } : {}),
    ...(extra.workers?.length ? { workers: extra.workers } : {}),
    timings: extra.timings,
    ...(extra.resources ? { resources: extra.resources } : {}),
    repairs: summarizeRepairs(calls),
    ...(state.execution ? { execution: summarizeExecution(state as PaperToCodeState) } : {}),
    ...(state.provenance ? { provenance: state.provenance } : {}),
    reviews: summarizeReviews(state),
    checks: summarizeChecks(state),
    notes: state.notes ?? [],
    calls,
  };
}

export async function writeRunReport(outDir: string, state: Partial<PaperToCodeState>, extra: RunReportExtra = {}) {
  const report = buildRunReport(state, extra);
  await writeFileAtomic(join(outDir, "run.json"), `${JSON.stringify(report, null, 2)}\n`, tempDirOf(outDir));
  return report;
}

/** The smoke run and its debugging: passed or not, in how many rounds, the failure's class, the share of lines changed. */
export function summarizeExecution(state: PaperToCodeState) {
  const runs = state.smokeRuns ?? [];
  const last = runs.at(-1);
  const share = modifiedShare(state);
  return {
    isolation: state.execution!.isolation,
    python: state.execution!.python,
    passed: last?.passed ?? false,
    smokeRuns: runs.length,
    debugRounds: (state.debugRounds ?? []).length,
    ...(last?.failure ? { failure: last.failure } : {}),
    ...(share ?? {}),
    runs,
    rounds: state.debugRounds ?? [],
  };
}

type RepairKind = "reask" | "continuation" | "tolerated";

/** Each time a reply needed repair: a re-ask with the reason, a continuation after the token limit, or tolerant parsing. */
export function summarizeRepairs(calls: CallRecord[]) {
  const items: { kind: RepairKind; agent: string; file?: string; reason: string }[] = [];
  for (const c of calls) {
    const at = { agent: c.agent, ...(c.file ? { file: c.file } : {}) };
    if (c.repairOf) items.push({ kind: "reask", ...at, reason: c.repairOf });
    if (c.continuation) items.push({ kind: "continuation", ...at, reason: "the reply reached the output token limit" });
    if (c.tolerated) items.push({ kind: "tolerated", ...at, reason: c.tolerated });
  }
  const count = (kind: RepairKind) => items.filter((i) => i.kind === kind).length;
  const byAgent: Record<string, Record<RepairKind, number>> = {};
  for (const i of items) (byAgent[i.agent] ??= { reask: 0, continuation: 0, tolerated: 0 })[i.kind]++;
  return { reasks: count("reask"), continuations: count("continuation"), tolerated: count("tolerated"), byAgent, items };
}

function summarizeReviews(state: Partial<PaperToCodeState>) {
  const out: Record<string, { rounds: number; refined: number; passed: boolean; score?: number; issuesLeft: number }> = {};
  for (const r of state.reviews ?? []) {
    const key = r.file ? `${r.stage}:${r.file}` : r.stage;
    const prev = out[key];
    out[key] = {
      rounds: (prev?.rounds ?? 0) + 1,
      refined: (prev?.refined ?? 0) + (r.action === "refine" ? 1 : 0),
      passed: r.passed,
      ...(r.score !== undefined ? { score: r.score } : {}),
      issuesLeft: r.passed ? 0 : r.issues.length,
    };
  }
  return out;
}

function summarizeChecks(state: Partial<PaperToCodeState>) {
  const rounds = state.codeChecks ?? [];
  const last = rounds.at(-1);
  if (!last) return undefined;
  return {
    ok: last.report.ok,
    rounds: rounds.length,
    repairedFiles: [...new Set(rounds.flatMap((r) => r.repairedFiles))],
    addedRequirements: rounds.flatMap((r) => r.addedRequirements),
    firstRound: rounds[0]!.found,
    remaining: last.report.counts,
    issues: last.report.issues,
    /** Findings the coder disputed (kept as they are, with its reason). */
    disputed: (state.disputes ?? []).map(({ file, check, line, message, reason }) => ({ file, check, line, message, reason })),
  };
}
