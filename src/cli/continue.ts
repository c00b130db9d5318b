import { describeExecution, executionRequestFrom, type ExecutionOptions } from "../execution/runner.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { Command, type StateSnapshot } from "@langchain/langgraph";
import { isCollection, parse as parseYaml, parseDocument } from "yaml";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { checkpointerLocation, openCheckpointer, type Checkpointer } from "../checkpointer.js";
import { codersWaitForAnalyses, modelSettingsFrom } from "../configuration.js";
import { ExitCode, UserError } from "../errors.js";
import { priceTable } from "../llm/prices.js";
import { createChatModel, loadProviderFor } from "../models/factory.js";
import { checkModelServer } from "../models/preflight.js";
import { describeModel } from "../models/settings.js";
import { applyEdit, type ReviewDecision } from "../../agents/reviewer.js";
import { isEvaluationThread, resolveThreadId, summarizeThread, type RunSummary } from "../runs.js";
import { editPoint, PIPELINE_STAGES, REVIEWABLE_STAGES, reviewedStage, rewindPoint, stageOfNode, type ForkPoint, type PipelineStage, type ReviewableStage } from "../../graphs/stages.js";
import type { PaperToCodeState, PaperToCodeUpdate } from "../state.js";
import { driveRun, type PaperToCodeGraph } from "./drive.js";
import { readSettingsFile } from "./settings-file.js";

/** Settings a continued run may change (a provider that failed, a slower server); everything else is the run's own. */
export interface ContinueOptions {
  checkpointer?: string;
  config?: string;
  model?: string;
  baseUrl?: string;
  temperature?: number;
  reasoningEffort?: string;
  concurrency?: number;
  maxRetries?: number;
  timeout?: number;
  maxOutputTokens?: number;
  structuredOutput?: string;
  password?: string;
  budget?: number;
  rpm?: number;
  tpm?: number;
  prices?: string;
  json?: boolean;
  quiet?: boolean;
}

interface OpenedRun {
  checkpointer: Checkpointer;
  checkpointerArg?: string;
  graph: PaperToCodeGraph;
  threadId: string;
  snapshot: StateSnapshot;
  state: PaperToCodeState;
  summary: RunSummary;
}

async function openRun(id: string, options: ContinueOptions): Promise<OpenedRun> {
  const file = readSettingsFile(options.config);
  const { location, given: checkpointerArg } = checkpointerLocation(options.checkpointer, file);
  const checkpointer = await openCheckpointer(location);
  try {
    const threadId = resolveThreadId(id, await checkpointer.threads());
    const graph = compilePaperToCode(checkpointer.saver);
    const snapshot = await graph.getState({ configurable: { thread_id: threadId } });
    let state = snapshot.values as PaperToCodeState;
    if (!state.outDir) {
      // Stopped right after it started: the run's input is saved but not yet in the state.
      const tuple = await checkpointer.saver.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "" } });
      const input = tuple?.checkpoint.channel_values.__start__ as Partial<PaperToCodeState> | undefined;
      state = { ...state, outDir: input?.outDir, runSettings: input?.runSettings };
    }
    if (!state.outDir) throw new UserError(`run ${threadId} has no output folder yet; start it again with paper2code run`, ExitCode.usage);
    return { checkpointer, checkpointerArg, graph, threadId, snapshot, state, summary: summarizeThread(threadId, snapshot, stageOfNode) };
  } catch (error) {
    await checkpointer.close();
    throw error;
  }
}

/** A setting given when a run is continued, in place of the one it had. */
export interface SettingChange {
  at: string;
  setting: string;
  was: unknown;
  now: unknown;
}

/** Where a run's changed settings are kept: they hold for every later continuation too, and run.json lists them. */
const changesFile = (outDir: string) => join(outDir, ".paper2code", "settings-changes.json");

function readChanges(outDir: string): SettingChange[] {
  const path = changesFile(outDir);
  if (!existsSync(path)) return [];
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SettingChange[];
  } catch {
    return [];
  }
}

/**
 * The run's own settings, as changed by earlier continuations and by this
 * command's flags (model and client settings, the budget); the model is checked
 * before any work, and a change is kept only once it checks out.
 */
async function continuedSettings(run: OpenedRun, options: ContinueOptions, extra: Record<string, unknown> = {}) {
  const configurable: Record<string, unknown> = { ...(run.state.runSettings?.configurable ?? {}), ...extra };
  const earlier = readChanges(run.state.outDir!);
  for (const change of earlier) configurable[change.setting] = change.now;
  const flags: Record<string, unknown> = {
    model: options.model,
    baseUrl: options.baseUrl,
    temperature: options.temperature,
    reasoningEffort: options.reasoningEffort,
    concurrency: options.concurrency,
    maxRetries: options.maxRetries,
    timeoutSeconds: options.timeout,
    maxOutputTokens: options.maxOutputTokens,
    structuredOutput: options.structuredOutput,
    budgetUsd: options.budget,
    rpm: options.rpm,
    tpm: options.tpm,
  };
  if (options.prices) process.env.PAPER2CODE_PRICES = resolve(options.prices);
  priceTable();
  const at = new Date().toISOString();
  const changes: SettingChange[] = [];
  for (const [setting, now] of Object.entries(flags)) {
    if (now === undefined || configurable[setting] === now) continue;
    changes.push({ at, setting, was: configurable[setting] ?? "default", now });
    configurable[setting] = now;
  }
  configurable.callJournal ??= join(run.state.outDir!, ".paper2code", "calls");
  const settings = modelSettingsFrom({ configurable } as RunnableConfig);
  await loadProviderFor(settings.model);
  createChatModel(settings);
  await checkModelServer(settings);
  if (changes.length) {
    mkdirSync(dirname(changesFile(run.state.outDir!)), { recursive: true });
    writeFileSync(changesFile(run.state.outDir!), `${JSON.stringify([...earlier, ...changes], null, 2)}\n`);
    if (!options.quiet) for (const c of changes) process.stderr.write(`setting ${c.setting}: ${JSON.stringify(c.was)} -> ${JSON.stringify(c.now)} (kept for later continuations; run.json: settingsChanged)\n`);
  }
  if (options.password) process.env.PAPER2CODE_PDF_PASSWORD = options.password;
  return { configurable, model: describeModel(settings), modelSpec: settings.model, settingsChanged: [...earlier, ...changes] };
}

async function drive(run: OpenedRun, options: ContinueOptions, input: unknown, settings: Awaited<ReturnType<typeof continuedSettings>>, checkpointId?: string) {
  const { configurable, model, modelSpec, settingsChanged } = settings;
  return driveRun({
    settingsChanged,
    modelSpec,
    graph: run.graph,
    threadId: run.threadId,
    outDir: run.state.outDir!,
    configurable,
    input,
    checkpointId,
    model,
    checkpointer: run.checkpointer.location,
    checkpointerArg: run.checkpointerArg,
    startedAt: run.state.runSettings?.startedAt ?? new Date().toISOString(),
    json: options.json,
    quiet: options.quiet,
  });
}

async function withRun<T>(id: string, options: ContinueOptions, body: (run: OpenedRun) => Promise<T>): Promise<T> {
  const run = await openRun(id, options);
  try {
    return await body(run);
  } finally {
    await run.checkpointer.close();
  }
}

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
      process.stderr.write(`run ${run.threadId} has ended (${summary.status}); nothing to resume (rewind --to <stage> runs a stage again)\n`);
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
      throw new UserError(`run ${run.threadId} is not waiting for a review; --approve, --set and --file apply to a paused run`, ExitCode.usage);
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
    if (reviewedStage(stage).editable(run.state) === undefined) throw new UserError(`run ${run.threadId} has no ${stage} yet`, ExitCode.usage);
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
    const checkpointId = await fork(run, editPoint(stage, run.state.runSettings?.configurable), { ...edited.update, notes: [`${stage} edited by hand`] });
    return drive(run, options, null, settings, checkpointId);
  });
}

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
      throw new UserError(`run ${run.threadId} has not finished writing its repository (status ${run.state.status ?? run.summary.status}); resume it first`, ExitCode.usage);
    }
    const execute = { ...executionRequestFrom(options), roundsFrom: run.state.debugRounds.length };
    if (!options.quiet) process.stderr.write(`${describeExecution(execute, run.state.outDir!)}\n`);
    const settings = await continuedSettings(run, options);
    const forked = await run.graph.updateState(run.snapshot.config, { execute, notes: ["debug: smoke run requested"] }, "finalize");
    return drive(run, options, null, settings, String(forked.configurable?.checkpoint_id));
  });
}

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
    throw new UserError(`--set edits config.yaml, which --to ${stage} would write again; rewind to analysis, coding or checks`, ExitCode.usage);
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
    if (run.state.runSettings) update.runSettings = { ...run.state.runSettings, configurable: { ...run.state.runSettings.configurable, rewind } };
    // Without the analysis barrier, coding re-runs in the file tasks: they are given the analyses, so no analyst runs again.
    if (stage === "coding" && !codersWaitForAnalyses(run.state.runSettings?.configurable)) update.analyses = run.state.analyses;
    const checkpointId = await fork(run, rewindPoint(stage, run.state.runSettings?.configurable), update);
    return drive(run, options, null, settings, checkpointId);
  });
}

/**
 * Fork the run's current branch at the checkpoint about to run `point.node`:
 * a new checkpoint as if `point.after` had just written `update`. Forking (not
 * replaying) makes LangGraph run the next nodes again instead of reusing their saved writes.
 */
async function fork(run: OpenedRun, point: ForkPoint, update: PaperToCodeUpdate): Promise<string> {
  const byId = new Map<string, StateSnapshot>();
  for await (const snapshot of run.graph.getStateHistory({ configurable: { thread_id: run.threadId } })) {
    byId.set(String(snapshot.config.configurable?.checkpoint_id), snapshot);
  }
  let found: StateSnapshot | undefined;
  // Walk the current branch from its head back to the first checkpoint.
  for (let snapshot: StateSnapshot | undefined = run.snapshot; snapshot; snapshot = byId.get(String(snapshot.parentConfig?.configurable?.checkpoint_id))) {
    if (snapshot.tasks.some((t) => t.name === point.node)) {
      found = snapshot;
      if (!point.first) break;
    }
  }
  if (!found) throw new UserError(`run ${run.threadId} has not reached that stage yet (no checkpoint before ${point.node})`, ExitCode.usage);
  const forked = await run.graph.updateState(found.config, update, point.after);
  return String(forked.configurable?.checkpoint_id);
}

/** `key.path=value` edits of config.yaml, comments kept; values are YAML (numbers, booleans, lists). Unknown keys are refused. */
export function setConfigKeys(stage: ReviewableStage, state: PaperToCodeState, assignments: string[]): string {
  if (stage !== "config") throw new UserError(`--set edits config.yaml; use --file or $EDITOR for the ${stage}`, ExitCode.usage);
  const doc = parseDocument(state.configYaml?.yaml ?? "");
  for (const assignment of assignments) {
    const at = assignment.indexOf("=");
    if (at <= 0) throw new UserError(`--set ${assignment}: expected key=value`, ExitCode.usage);
    const path = assignment.slice(0, at).trim().split(".");
    if (!doc.hasIn(path)) {
      throw new UserError(`--set ${assignment}: config.yaml has no key '${path.join(".")}' (keys: ${state.configYaml?.keys.join(", ")})`, ExitCode.usage);
    }
    // A new node in the old one's place, with its comments (the paper reference) and on one line.
    const previous = doc.getIn(path, true) as { comment?: string | null; commentBefore?: string | null } | undefined;
    const node = doc.createNode(parseYaml(assignment.slice(at + 1)));
    if (isCollection(node)) node.flow = true;
    node.comment = previous?.comment;
    node.commentBefore = previous?.commentBefore;
    doc.setIn(path, node);
  }
  return doc.toString();
}

function readEditedFile(stage: ReviewableStage, file: string): unknown {
  if (!existsSync(file)) throw new UserError(`--file ${file}: no such file`, ExitCode.notFound);
  return parseEdited(stage, readFileSync(file, "utf8"), file);
}

function parseEdited(stage: ReviewableStage, text: string, where: string): unknown {
  if (stage === "config") return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where}: the ${stage} must be JSON: ${(error as Error).message}`, ExitCode.badInput);
  }
}

/** Open the artifact in $VISUAL/$EDITOR; the file stays in the run folder, so an edit is never lost. */
function editInEditor(stage: ReviewableStage, state: PaperToCodeState): unknown {
  const current = reviewedStage(stage).editable(state);
  const text = stage === "config" ? String(current) : `${JSON.stringify(current, null, 2)}\n`;
  const path = join(state.outDir!, ".paper2code", "edit", `${stage}.${stage === "config" ? "yaml" : "json"}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const editor = process.env.VISUAL || process.env.EDITOR || "vi";
  const result = spawnSync("sh", ["-c", `${editor} "$1"`, "sh", path], { stdio: "inherit" });
  if (result.status !== 0) throw new UserError(`the editor (${editor}) exited with status ${result.status}; your edit is kept in ${path}`, ExitCode.usage);
  const edited = readFileSync(path, "utf8");
  if (edited === text) throw new UserError(`no change to the ${stage}; nothing to do`, ExitCode.ok);
  return parseEdited(stage, edited, path);
}

export interface RunsOptions {
  checkpointer?: string;
  config?: string;
  json?: boolean;
  limit?: number;
}

/** Every run in the checkpoint database: id, paper, status, stage, tokens, cost. */
export async function runsCommand(options: RunsOptions): Promise<number> {
  const file = readSettingsFile(options.config);
  const checkpointer = await openCheckpointer(checkpointerLocation(options.checkpointer, file).location);
  try {
    const graph = compilePaperToCode(checkpointer.saver);
    const summaries: RunSummary[] = [];
    for (const threadId of (await checkpointer.threads()).filter((t) => !isEvaluationThread(t)).slice(0, options.limit ?? 50)) {
      summaries.push(summarizeThread(threadId, await graph.getState({ configurable: { thread_id: threadId } }), stageOfNode));
    }
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (summaries.length === 0) {
      process.stdout.write(`no runs in ${checkpointer.location}\n`);
      return ExitCode.ok;
    }
    const rows = summaries.map((s) => [
      s.id.slice(0, 8),
      s.status,
      s.stage,
      s.calls.toLocaleString("en"),
      `${s.inputTokens.toLocaleString("en")} / ${s.outputTokens.toLocaleString("en")}`,
      s.cost === undefined ? "unknown" : `$${s.cost.toFixed(2)}`,
      (s.updatedAt ?? "").slice(0, 16).replace("T", " "),
      s.paper ?? "",
    ]);
    const header = ["ID", "STATUS", "STAGE", "CALLS", "TOKENS IN / OUT", "COST", "UPDATED", "PAPER"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) {
      process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}\n`);
    }
    return ExitCode.ok;
  } finally {
    await checkpointer.close();
  }
}
