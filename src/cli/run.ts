import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { defaultCheckpointerLocation, expandHome, openCheckpointer } from "../checkpointer.js";
import { modelSettingsFrom, REFINE_STAGES, refineField, type Configuration, type RefineStage } from "../configuration.js";
import { AgentOutputError, ExitCode, UserError, errorMessage } from "../errors.js";
import { createChatModel } from "../models/factory.js";
import { describeModel } from "../models/settings.js";
import { loadPaper } from "../paper/load.js";
import { summarizeCalls } from "../llm/usage.js";
import { writeRunReport } from "../run-report.js";
import type { PaperToCodeState } from "../state.js";
import { Progress } from "./progress.js";
import { readSettingsFile } from "./settings-file.js";

export interface RunOptions {
  out?: string;
  model?: string;
  baseUrl?: string;
  temperature?: number;
  reasoningEffort?: Configuration["reasoningEffort"];
  maxRetries?: number;
  timeout?: number;
  maxOutputTokens?: number;
  structuredOutput?: Configuration["structuredOutput"];
  concurrency?: number;
  includeAppendix?: boolean;
  paperTokenBudget?: number;
  password?: string;
  refine?: Partial<Record<RefineStage, number>>;
  config?: string;
  checkpointer?: string;
  threadId?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "paper";
}

/** An output folder must be new, empty, or an earlier paper2code output; anything else needs --force. */
function checkOutDir(outDir: string, force: boolean) {
  if (!existsSync(outDir) || force) return;
  const entries = readdirSync(outDir);
  const ours = entries.includes(".paper2code") || entries.includes("run.json");
  if (entries.length > 0 && !ours) {
    throw new UserError(`${outDir} already holds files that paper2code did not write; choose another --out or pass --force`, ExitCode.usage);
  }
}

export async function runCommand(paperPaths: string[], options: RunOptions): Promise<number> {
  const file = readSettingsFile(options.config);
  const configurable: Configuration & { thread_id: string } = {
    thread_id: options.threadId ?? randomUUID(),
    model: options.model ?? file.model,
    baseUrl: options.baseUrl ?? file.baseUrl,
    temperature: options.temperature ?? file.temperature,
    reasoningEffort: options.reasoningEffort ?? file.reasoningEffort,
    maxRetries: options.maxRetries ?? file.maxRetries,
    timeoutSeconds: options.timeout ?? file.timeoutSeconds,
    maxOutputTokens: options.maxOutputTokens ?? file.maxOutputTokens,
    structuredOutput: options.structuredOutput ?? file.structuredOutput,
    concurrency: options.concurrency ?? file.concurrency,
    includeAppendix: options.includeAppendix ?? file.includeAppendix,
    paperTokenBudget: options.paperTokenBudget ?? file.paperTokenBudget,
    outputRoot: undefined,
    ...refineSettings(file.refine, options.refine),
  } as Configuration & { thread_id: string };
  // Fail on configuration before any work: no model, a missing key, an unreadable paper.
  const settings = modelSettingsFrom({ configurable });
  createChatModel(settings);
  // The password stays in this process: it is not part of the checkpointed configuration.
  if (options.password) process.env.PAPER2CODE_PDF_PASSWORD = options.password;
  const paper = await loadPaper(paperPaths, { password: options.password });

  const outDir = resolve(
    expandHome(options.out ?? file.out ?? "") || join("runs", `${slug(paper.title || basename(paperPaths[0]!, extname(paperPaths[0]!)))}-${configurable.thread_id.slice(0, 8)}`),
  );
  checkOutDir(outDir, options.force ?? false);
  const checkpointerLocation = options.checkpointer ?? file.checkpointer ?? defaultCheckpointerLocation();
  const graph = compilePaperToCode(openCheckpointer(checkpointerLocation));
  const progress = new Progress(!options.quiet);
  // Concurrency is enforced by the model client's request queue, not LangGraph's maxConcurrency
  // (with maxConcurrency 1, LangGraph 1.7 ends a run early when a step has parallel tasks).
  const config: RunnableConfig = { configurable, recursionLimit: 1000 };

  const startedAt = new Date();
  progress.line(`paper2code: "${paper.title}" (${paper.tokens.total.toLocaleString("en")} tokens) with ${describeModel(settings)}`);
  progress.line(`thread ${configurable.thread_id} -> ${outDir}`);

  let error: unknown;
  try {
    const paperPath = paperPaths.length === 1 ? resolve(paperPaths[0]!) : paperPaths.map((p) => resolve(p));
    const stream = await graph.stream({ paperPath, outDir }, { ...config, streamMode: "updates" });
    for await (const chunk of stream) {
      for (const [node, update] of Object.entries(chunk as Record<string, Record<string, unknown>>)) {
        progress.nodeDone(node, update);
      }
    }
  } catch (caught) {
    error = caught;
  }

  const snapshot = await graph.getState(config);
  if (!error && snapshot.next.length > 0) {
    error = new Error(`the graph stopped before finishing (next: ${snapshot.next.join(", ")})`);
  }
  const state = snapshot.values as PaperToCodeState;
  const status = error ? "failed" : (state.status ?? "failed");
  const report = await writeRunReport(outDir, state, {
    status,
    error: error ? errorMessage(error) : undefined,
    threadId: configurable.thread_id,
    model: describeModel(settings),
    checkpointer: checkpointerLocation,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    timings: timingsOf(state, Date.now() - startedAt.getTime()),
  });

  if (options.json) process.stdout.write(`${JSON.stringify(summaryOf(report), null, 2)}\n`);
  if (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof AgentOutputError ? error.message : `${errorMessage(error).split("\n")[0]}`;
    throw new UserError(`run failed: ${reason} (thread ${configurable.thread_id}; details in ${join(outDir, "run.json")})`, ExitCode.model);
  }
  const total = report.usage.total;
  progress.line(
    `${status === "complete" ? "done" : "INCOMPLETE"}: ${report.files.length} files in ${join(outDir, "repo")}; ` +
      `${total.calls} calls, ${total.inputTokens.toLocaleString("en")} input / ${total.outputTokens.toLocaleString("en")} output tokens`,
  );
  const checks = report.checks;
  if (checks) {
    progress.line(
      checks.ok
        ? `static checks: all passed${checks.rounds > 1 ? ` after ${checks.rounds - 1} repair round(s)` : ""}`
        : `static checks: ${checks.issues.length} problem(s) remain, see ${join(outDir, "artifacts", "checks.json")}`,
    );
  }
  const unresolved = Object.entries(report.reviews).filter(([, r]) => !r.passed).map(([k]) => k);
  if (unresolved.length) progress.line(`reviews with problems left: ${unresolved.join(", ")} (see artifacts/reviews/)`);
  if (status !== "complete") {
    throw new UserError(`run incomplete: ${state.notes.at(-1) ?? "see run.json"}`, ExitCode.incomplete);
  }
  return ExitCode.ok;
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

/** Refine rounds per stage: the settings file's, then the flag's on top. */
function refineSettings(fromFile: number | Partial<Record<RefineStage, number>> | undefined, fromFlag: Partial<Record<RefineStage, number>> | undefined) {
  const rounds: Partial<Record<RefineStage, number>> =
    typeof fromFile === "number" ? Object.fromEntries(REFINE_STAGES.map((s) => [s, fromFile])) : { ...fromFile };
  Object.assign(rounds, fromFlag);
  return Object.fromEntries(Object.entries(rounds).map(([stage, n]) => [refineField(stage as RefineStage), n]));
}
