import { randomUUID } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { defaultCheckpointerLocation, expandHome, openCheckpointer } from "../checkpointer.js";
import { modelSettingsFrom, REFINE_STAGES, refineField, type Configuration, type RefineStage } from "../configuration.js";
import { ExitCode, UserError } from "../errors.js";
import { createChatModel } from "../models/factory.js";
import { describeModel } from "../models/settings.js";
import { loadPaper } from "../paper/load.js";
import { priceTable } from "../llm/prices.js";
import { parseStageList, REVIEWABLE_STAGES } from "../stages.js";
import type { RunSettings } from "../state.js";
import { driveRun } from "./drive.js";
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
  schedule?: Configuration["schedule"];
  context?: Configuration["context"];
  includeAppendix?: boolean;
  paperTokenBudget?: number;
  password?: string;
  refine?: Partial<Record<RefineStage, number>>;
  review?: string;
  budget?: number;
  prices?: string;
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
  const threadId = options.threadId ?? randomUUID();
  const configurable: Configuration = {
    model: options.model ?? file.model,
    baseUrl: options.baseUrl ?? file.baseUrl,
    temperature: options.temperature ?? file.temperature,
    reasoningEffort: options.reasoningEffort ?? file.reasoningEffort,
    maxRetries: options.maxRetries ?? file.maxRetries,
    timeoutSeconds: options.timeout ?? file.timeoutSeconds,
    maxOutputTokens: options.maxOutputTokens ?? file.maxOutputTokens,
    structuredOutput: options.structuredOutput ?? file.structuredOutput,
    concurrency: options.concurrency ?? file.concurrency,
    schedule: options.schedule ?? file.schedule,
    context: options.context ?? file.context,
    includeAppendix: options.includeAppendix ?? file.includeAppendix,
    paperTokenBudget: options.paperTokenBudget ?? file.paperTokenBudget,
    review: reviewSetting(options.review ?? file.review),
    budgetUsd: options.budget ?? file.budgetUsd,
    outputRoot: undefined,
    callJournal: undefined,
    rewind: undefined,
    ...refineSettings(file.refine, options.refine),
  } as Configuration;
  if (options.prices) process.env.PAPER2CODE_PRICES = resolve(options.prices);
  priceTable(); // a broken price file fails here, not after paid calls
  // Fail on configuration before any work: no model, a missing key, an unreadable paper.
  const settings = modelSettingsFrom({ configurable });
  createChatModel(settings);
  // The password stays in this process: it is not part of the checkpointed configuration.
  if (options.password) process.env.PAPER2CODE_PDF_PASSWORD = options.password;
  const paper = await loadPaper(paperPaths, { password: options.password });

  const outDir = resolve(
    expandHome(options.out ?? file.out ?? "") || join("runs", `${slug(paper.title || basename(paperPaths[0]!, extname(paperPaths[0]!)))}-${threadId.slice(0, 8)}`),
  );
  checkOutDir(outDir, options.force ?? false);
  configurable.callJournal = join(outDir, ".paper2code", "calls");
  const checkpointerArg = options.checkpointer ?? file.checkpointer;
  const checkpointer = await openCheckpointer(checkpointerArg ?? defaultCheckpointerLocation());
  try {
    if ((await checkpointer.threads()).includes(threadId)) {
      throw new UserError(`run ${threadId} already exists; continue it with: paper2code resume ${threadId}`, ExitCode.usage);
    }
    const graph = compilePaperToCode(checkpointer.saver);
    const startedAt = new Date().toISOString();
    const progress = new Progress(!options.quiet);
    progress.line(`paper2code: "${paper.title}" (${paper.tokens.total.toLocaleString("en")} tokens) with ${describeModel(settings)}`);
    progress.line(`run ${threadId} -> ${outDir}`);
    const resolvedPaths = paperPaths.map((p) => resolve(p));
    const runSettings: RunSettings = { configurable: withoutUndefined(configurable), paperPaths: resolvedPaths, startedAt };
    return await driveRun({
      graph,
      threadId,
      outDir,
      configurable,
      input: { paperPath: resolvedPaths.length === 1 ? resolvedPaths[0] : resolvedPaths, outDir, runSettings },
      model: describeModel(settings),
      modelSpec: settings.model,
      checkpointer: checkpointer.location,
      checkpointerArg,
      startedAt,
      json: options.json,
      quiet: options.quiet,
    });
  } finally {
    await checkpointer.close();
  }
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
function refineSettings(fromFile: number | Partial<Record<RefineStage, number>> | undefined, fromFlag: Partial<Record<RefineStage, number>> | undefined) {
  const rounds: Partial<Record<RefineStage, number>> =
    typeof fromFile === "number" ? Object.fromEntries(REFINE_STAGES.map((s) => [s, fromFile])) : { ...fromFile };
  Object.assign(rounds, fromFlag);
  return Object.fromEntries(Object.entries(rounds).map(([stage, n]) => [refineField(stage as RefineStage), n]));
}
