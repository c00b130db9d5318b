import { usd } from "../llm/prices.js";
import { slugOf } from "../render/slug.js";
import type { OutputFlags } from "./options.js";
import { describeExecution, executionRequestFrom, type ExecutionOptions } from "../execution/runner.js";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { checkpointerLocation, expandHome, openCheckpointer } from "../checkpointer.js";
import { modelSettingsFrom, parseStageList, settingsOf, type Configuration } from "../configuration.js";
import { estimateRun } from "../dry-run.js";
import { inContextOrder } from "../llm/context.js";
import { fitPaperToBudget } from "../paper/budget.js";
import { ExitCode, UserError } from "../errors.js";
import { checkModelServer } from "../models/preflight.js";
import { describeModel } from "../models/settings.js";
import { loadPaper } from "../paper/load.js";
import { PLANNING_STAGES, REFINE_SETTINGS, REFINE_STAGES, REVIEWABLE_STAGES } from "../../graphs/stages.js";
import type { RunSettings } from "../state.js";
import { driveRun } from "./drive.js";
import { Progress } from "./progress.js";
import { checkModelSettings, useProcessSettings } from "./preflight.js";
import { readSettingsFile } from "./settings-file.js";
import { clientSettingsOf, modelChoiceOf, orFromFile, type ClientFlags, type ModelFlags } from "../settings.js";

export interface RunOptions extends ExecutionOptions, ModelFlags, ClientFlags, OutputFlags {
  out?: string;
  schedule?: Configuration["schedule"];
  context?: Configuration["context"];
  /** false with --no-appendix (commander's default is true, so only false counts as given). */
  appendix?: boolean;
  paperTokenBudget?: number;
  password?: string;
  refine?: Partial<Record<string, number>>;
  review?: string;
  dryRun?: boolean | string;
  config?: string;
  checkpointer?: string;
  threadId?: string;
  force?: boolean;
  execute?: boolean;
}

const slug = (text: string) => slugOf(text, "paper");

/** The run a folder holds, from its run.json (or its call journal, when it was killed before writing one). */
function runIn(outDir: string): { threadId?: string; status?: string } | undefined {
  const report = join(outDir, "run.json");
  if (existsSync(report)) {
    try {
      const run = JSON.parse(readFileSync(report, "utf8")) as { threadId?: string; status?: string };
      return { threadId: run.threadId, status: run.status };
    } catch {
      return {};
    }
  }
  const journal = join(outDir, ".paper2code", "calls");
  return existsSync(journal) && readdirSync(journal).length > 0 ? {} : undefined;
}

/** The file that shows a folder takes files (see prepareOutDir). */
const WRITE_PROBE = ".paper2code-write-test-";

/**
 * An output folder must be new, empty, or (with --force) one to start over in.
 * A folder that holds another run is refused: its call journal would answer the
 * new run's requests with the old run's replies. --force clears what paper2code
 * wrote there (the journal, the repository, the artifacts; a virtual environment stays).
 */
export function checkOutDir(outDir: string, force: boolean): { threadId?: string } | undefined {
  if (!existsSync(outDir)) return undefined;
  if (!statSync(outDir).isDirectory())
    throw new UserError(`--out ${outDir}: a file is there, not a folder; choose another --out`, ExitCode.usage);
  const run = runIn(outDir);
  if (run && !force) {
    const which = run.threadId
      ? `run ${run.threadId}${run.status ? ` (${run.status})` : ""}`
      : "an earlier run (stopped before it wrote run.json)";
    const resume = run.threadId ? `continue it with \`paper2code resume ${run.threadId}\`, ` : "";
    throw new UserError(
      `${outDir} holds ${which}: ${resume}choose another --out, or pass --force to start over there (its call journal is cleared)`,
      ExitCode.usage,
    );
  }
  if (run) return run;
  // What paper2code writes first: .paper2code/, and the probe of prepareOutDir (left behind by a start killed at that moment).
  const entries = readdirSync(outDir).filter((e) => !e.startsWith(WRITE_PROBE));
  // An earlier paper2code output with no run in it (stopped before any call) may be used again.
  if (entries.length > 0 && !force && !entries.includes(".paper2code")) {
    throw new UserError(
      `${outDir} already holds files that paper2code did not write; choose another --out or pass --force`,
      ExitCode.usage,
    );
  }
  return undefined;
}

/** --force over an earlier run: what paper2code wrote there goes (the journal, the repository, the artifacts; a virtual environment stays). */
function clearRun(outDir: string) {
  for (const entry of ["run.json", "repo", "artifacts"]) rmSync(join(outDir, entry), { recursive: true, force: true });
  const state = join(outDir, ".paper2code");
  if (existsSync(state))
    for (const entry of readdirSync(state)) if (entry !== "venv") rmSync(join(state, entry), { recursive: true, force: true });
}

/**
 * Make the output folder, one level at a time (a recursive mkdir under /proc
 * never returns), and check it takes files: before any model call, with the reason.
 * Returns the outermost folder it made, to take away again if the run does not start.
 */
export function prepareOutDir(outDir: string): string | undefined {
  const missing: string[] = [];
  let existing = outDir;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (existsSync(existing) && !statSync(existing).isDirectory()) {
    throw new UserError(`--out ${outDir}: ${existing} is a file, not a folder`, ExitCode.usage);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      throw new UserError(
        `--out ${outDir}: cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        ExitCode.usage,
      );
    }
  }
  const probe = join(outDir, `${WRITE_PROBE}${process.pid}`);
  try {
    for (const stale of readdirSync(outDir).filter((e) => e.startsWith(WRITE_PROBE))) rmSync(join(outDir, stale), { force: true });
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    throw new UserError(
      `--out ${outDir}: the folder does not take files (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      ExitCode.usage,
    );
  }
  return missing[0];
}

export async function runCommand(paperPaths: string[], options: RunOptions): Promise<number> {
  const file = readSettingsFile(options.config);
  const threadId = options.threadId ?? randomUUID();
  const configurable: Configuration = {
    ...orFromFile(
      {
        ...modelChoiceOf(options),
        ...clientSettingsOf(options),
        schedule: options.schedule,
        context: options.context,
        paperTokenBudget: options.paperTokenBudget,
      },
      file,
    ),
    includeAppendix: options.appendix === false ? false : file.includeAppendix,
    review: reviewSetting(options.review ?? file.review),
    outputRoot: undefined,
    callJournal: undefined,
    rewind: undefined,
    ...refineSettings(file.refine, options.refine),
  } as Configuration;
  useProcessSettings(options);
  // Fail on configuration before any work: no model, a missing key, an unreadable paper.
  const settings = modelSettingsFrom({ configurable });
  if (options.dryRun !== undefined) return dryRun(paperPaths, options, configurable, settings.model);
  await checkModelSettings(settings);
  // The model server is asked while the paper loads (a PDF takes seconds); its answer is awaited
  // after the paper, so a bad paper is still the error reported first.
  const serverChecked = checkModelServer(settings);
  serverChecked.catch(() => {});
  const paper = await loadPaper(paperPaths, { password: options.password });

  const outDir = resolve(
    expandHome(options.out ?? file.out ?? "") ||
      join("runs", `${slug(paper.title || basename(paperPaths[0]!, extname(paperPaths[0]!)))}-${threadId.slice(0, 8)}`),
  );
  const earlier = checkOutDir(outDir, options.force ?? false);
  const made = prepareOutDir(outDir);
  try {
    await serverChecked; // unreachable or misnamed: one line, exit 5, no run folder left behind
  } catch (error) {
    if (made) rmSync(made, { recursive: true, force: true });
    throw error;
  }
  if (earlier) clearRun(outDir);
  const replaced = earlier?.threadId;
  configurable.callJournal = join(outDir, ".paper2code", "calls");
  const { location, given: checkpointerArg } = checkpointerLocation(options.checkpointer, file);
  const checkpointer = await openCheckpointer(location);
  try {
    if ((await checkpointer.threads()).includes(threadId)) {
      throw new UserError(`run ${threadId} already exists; continue it with: paper2code resume ${threadId}`, ExitCode.usage);
    }
    // --force over an earlier run: that run's folder is this one's now, so its thread goes (runs would list both on one folder).
    if (replaced && replaced !== threadId) await checkpointer.saver.deleteThread(replaced);
    const graph = compilePaperToCode(checkpointer.saver);
    const startedAt = new Date().toISOString();
    const progress = new Progress({ enabled: !options.quiet });
    progress.line(`paper2code: "${paper.title}" (${paper.tokens.total.toLocaleString("en")} tokens) with ${describeModel(settings)}`);
    progress.line(`run ${threadId} -> ${outDir}`);
    const resolvedPaths = paperPaths.map((p) => resolve(p));
    const runSettings: RunSettings = { configurable: withoutUndefined(configurable), paperPaths: resolvedPaths, startedAt };
    const execute = options.execute ? executionRequestFrom(options) : undefined;
    if (execute) progress.line(describeExecution(execute, outDir));
    return await driveRun({
      graph,
      threadId,
      outDir,
      configurable,
      input: {
        paperPath: resolvedPaths.length === 1 ? resolvedPaths[0] : resolvedPaths,
        outDir,
        runSettings,
        ...(execute ? { execute } : {}),
      },
      model: describeModel(settings),
      modelSpec: settings.model,
      checkpointer: checkpointer.location,
      checkpointerArg,
      startedAt,
      json: options.json,
      quiet: options.quiet,
      plain: options.plain,
      report: options.report,
      worker: options.worker,
    });
  } finally {
    await checkpointer.close();
  }
}

/** --dry-run [files]: what the run would cost, from the paper's length; no model is called, nothing is written. */
async function dryRun(paperPaths: string[], options: RunOptions, configurable: Configuration, model: string): Promise<number> {
  const paper = await loadPaper(paperPaths, { password: options.password });
  const config = { configurable };
  const fitted = fitPaperToBudget(paper, settingsOf(config).paperTokenBudget, { includeAppendix: configurable.includeAppendix });
  const files = typeof options.dryRun === "string" ? Number(options.dryRun) : 12;
  if (!Number.isInteger(files) || files < 1)
    throw new UserError(`--dry-run ${options.dryRun}: the number of files must be a whole number >= 1`, ExitCode.usage);
  const rounds = Object.fromEntries(
    REFINE_STAGES.map((stage) => [
      stage,
      settingsOf(config).refineRounds(REFINE_SETTINGS[stage]!.setting, REFINE_SETTINGS[stage]!.default),
    ]),
  );
  const planning = PLANNING_STAGES.map(({ stage }) => ({
    name: stage.name,
    reads: inContextOrder(stage.reads).map((r) => r.part),
    prompt: stage.prompt,
  }));
  const rows = estimateRun({ model, paperTokens: fitted.tokens, files, rounds, planning });
  const total = rows.reduce(
    (t, r) => ({
      calls: t.calls + r.calls,
      inputTokens: t.inputTokens + r.inputTokens,
      cachedInputTokens: t.cachedInputTokens + r.cachedInputTokens,
      outputTokens: t.outputTokens + r.outputTokens,
      costUsd: t.costUsd === undefined || r.costUsd === undefined ? undefined : t.costUsd + r.costUsd,
    }),
    { calls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costUsd: 0 as number | undefined },
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ model, paperTokens: fitted.tokens, files, stages: rows, total }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const n = (v: number) => v.toLocaleString("en");
  const lines = [
    `estimate for "${paper.title}" (${n(fitted.tokens)} tokens of paper) with ${model}, assuming ${files} files (--dry-run N to change):`,
    "stage       calls  input tokens  of which cached  output tokens  cost",
    ...[...rows, { stage: "total", ...total }].map(
      (r) =>
        `${r.stage.padEnd(10)}  ${String(r.calls).padStart(5)}  ${n(r.inputTokens).padStart(12)}  ${n(r.cachedInputTokens).padStart(15)}  ${n(r.outputTokens).padStart(13)}  ${usd(r.costUsd)}`,
    ),
    "No model was called. Repair rounds and re-asks are not included; replies' lengths are typical, not known.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return ExitCode.ok;
}

export function withoutUndefined<T extends object>(value: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** --review plan,config | all (checked here so a typo fails before any call). */
function reviewSetting(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return parseStageList(value, REVIEWABLE_STAGES, "--review").join(",") || undefined;
  } catch (error) {
    throw new UserError((error as Error).message, ExitCode.usage);
  }
}

/** Refine rounds per stage: the settings file's, then the flag's on top. */
function refineSettings(
  fromFile: number | Partial<Record<string, number>> | undefined,
  fromFlag: Partial<Record<string, number>> | undefined,
) {
  const rounds: Partial<Record<string, number>> =
    typeof fromFile === "number" ? Object.fromEntries(REFINE_STAGES.map((s) => [s, fromFile])) : { ...fromFile };
  Object.assign(rounds, fromFlag);
  return Object.fromEntries(Object.entries(rounds).map(([stage, n]) => [REFINE_SETTINGS[stage]!.setting, n]));
}
