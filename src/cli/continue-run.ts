import type { OutputFlags } from "./options.js";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { type StateSnapshot } from "@langchain/langgraph";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { checkpointerLocation, openCheckpointer, type Checkpointer } from "../checkpointer.js";
import { modelSettingsFrom } from "../configuration.js";
import { ExitCode, UserError } from "../errors.js";
import { describeModel } from "../models/settings.js";
import { resolveThreadId, summarizeThread, type RunSummary } from "../runs.js";
import { stageOfNode, type ForkPoint } from "../../graphs/stages.js";
import type { PaperToCodeState, PaperToCodeUpdate } from "../state.js";
import { driveRun, type PaperToCodeGraph } from "./drive.js";
import { clientSettingsOf, modelChoiceOf, type ClientFlags, type ModelFlags } from "../settings.js";
import { checkModel, useProcessSettings } from "./preflight.js";
import { readSettingsFile } from "./settings-file.js";

/* What every command that continues a run shares: opening it, its settings as changed, driving it, forking its history. */

/** Settings a continued run may change (a provider that failed, a slower server); everything else is the run's own. */
export interface ContinueOptions extends ModelFlags, ClientFlags, OutputFlags {
  checkpointer?: string;
  config?: string;
  password?: string;
}

export interface OpenedRun {
  checkpointer: Checkpointer;
  checkpointerArg?: string;
  graph: PaperToCodeGraph;
  threadId: string;
  snapshot: StateSnapshot;
  state: PaperToCodeState;
  summary: RunSummary;
}

export async function openRun(id: string, options: ContinueOptions): Promise<OpenedRun> {
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
export async function continuedSettings(run: OpenedRun, options: ContinueOptions, extra: Record<string, unknown> = {}) {
  const configurable: Record<string, unknown> = { ...(run.state.runSettings?.configurable ?? {}), ...extra };
  const earlier = readChanges(run.state.outDir!);
  for (const change of earlier) configurable[change.setting] = change.now;
  // In the order changes are listed: the model's, then the client's.
  const flags: Record<string, unknown> = Object.assign({ ...modelChoiceOf(options), concurrency: undefined }, clientSettingsOf(options));
  useProcessSettings(options);
  const at = new Date().toISOString();
  const changes: SettingChange[] = [];
  for (const [setting, now] of Object.entries(flags)) {
    if (now === undefined || configurable[setting] === now) continue;
    changes.push({ at, setting, was: configurable[setting] ?? "default", now });
    configurable[setting] = now;
  }
  configurable.callJournal ??= join(run.state.outDir!, ".paper2code", "calls");
  const settings = modelSettingsFrom({ configurable } as RunnableConfig);
  await checkModel(settings);
  if (changes.length) {
    mkdirSync(dirname(changesFile(run.state.outDir!)), { recursive: true });
    writeFileSync(changesFile(run.state.outDir!), `${JSON.stringify([...earlier, ...changes], null, 2)}\n`);
    if (!options.quiet)
      for (const c of changes)
        process.stderr.write(
          `setting ${c.setting}: ${JSON.stringify(c.was)} -> ${JSON.stringify(c.now)} (kept for later continuations; run.json: settingsChanged)\n`,
        );
  }
  return { configurable, model: describeModel(settings), modelSpec: settings.model, settingsChanged: [...earlier, ...changes] };
}

export async function drive(
  run: OpenedRun,
  options: ContinueOptions,
  input: unknown,
  settings: Awaited<ReturnType<typeof continuedSettings>>,
  checkpointId?: string,
) {
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
    plain: options.plain,
    report: options.report,
    worker: options.worker,
  });
}

export async function withRun<T>(id: string, options: ContinueOptions, body: (run: OpenedRun) => Promise<T>): Promise<T> {
  const run = await openRun(id, options);
  try {
    return await body(run);
  } finally {
    await run.checkpointer.close();
  }
}

/**
 * Fork the run's current branch at the checkpoint about to run `point.node`:
 * a new checkpoint as if `point.after` had just written `update`. Forking (not
 * replaying) makes LangGraph run the next nodes again instead of reusing their saved writes.
 */
export async function fork(run: OpenedRun, point: ForkPoint, update: PaperToCodeUpdate): Promise<string> {
  const byId = new Map<string, StateSnapshot>();
  for await (const snapshot of run.graph.getStateHistory({ configurable: { thread_id: run.threadId } })) {
    byId.set(String(snapshot.config.configurable?.checkpoint_id), snapshot);
  }
  let found: StateSnapshot | undefined;
  // Walk the current branch from its head back to the first checkpoint.
  for (
    let snapshot: StateSnapshot | undefined = run.snapshot;
    snapshot;
    snapshot = byId.get(String(snapshot.parentConfig?.configurable?.checkpoint_id))
  ) {
    if (snapshot.tasks.some((t) => t.name === point.node)) {
      found = snapshot;
      if (!point.first) break;
    }
  }
  if (!found)
    throw new UserError(`run ${run.threadId} has not reached that stage yet (no checkpoint before ${point.node})`, ExitCode.usage);
  const forked = await run.graph.updateState(found.config, update, point.after);
  return String(forked.configurable?.checkpoint_id);
}
