import { slugOf } from "../render/slug.js";
import { existsSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { StateSnapshot } from "@langchain/langgraph";
import { compileEval } from "../../graphs/eval.js";
import { checkpointerLocation, expandHome, openCheckpointer } from "../checkpointer.js";
import { AgentOutputError, ExitCode, UserError, errorMessage } from "../errors.js";
import { repositoryRoot } from "../eval/files.js";
import { evaluationId } from "../eval/identity.js";
import { evalSetting, judgeSettingsFrom } from "../eval/judge-model.js";
import { modesOf, readRubric } from "../eval/nodes.js";
import { writeEvalReport, type EvalReport, type EvalReportMeta } from "../eval/report.js";
import { leavesOf } from "../eval/rubric.js";
import type { EvalConfiguration, EvalState } from "../eval/state.js";
import { BudgetExceededError } from "../llm/budget.js";
import { checkModelServer } from "../models/preflight.js";
import { describeModel } from "../models/settings.js";
import { lockRun } from "../runs.js";
import { driveGraph, startSpending, STOPPED_EXIT_CODE } from "./drive-graph.js";
import { Progress } from "./progress.js";
import { checkModelSettings, useProcessSettings } from "./preflight.js";
import { readSettingsFile } from "./settings-file.js";
import { clientSettingsOf, orFromFile, type ClientFlags } from "../settings.js";

export interface EvalOptions extends ClientFlags {
  paper: string[];
  reference?: string;
  referenceFiles?: string[];
  rubric?: string;
  codeDev?: boolean;
  referenceFree?: boolean;
  samples?: number;
  judgeModel?: string;
  judgeBaseUrl?: string;
  judgeTemperature?: number;
  judgeReasoningEffort?: EvalConfiguration["reasoningEffort"];
  codeTokenBudget?: number;
  leafTokenBudget?: number;
  paperTokenBudget?: number;
  out?: string;
  checkpointer?: string;
  config?: string;
  fresh?: boolean;
  json?: boolean;
  quiet?: boolean;
}

const slug = (text: string) => slugOf(text, "repo");
const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);

/**
 * `paper2code eval`: judge a repository against its paper (reference-free),
 * against the authors' code (reference-based) and/or on a PaperBench rubric.
 * Checkpointed: the same command continues an interrupted evaluation.
 */
export async function evalCommand(repo: string, options: EvalOptions): Promise<number> {
  const file = readSettingsFile(options.config);
  const configurable: EvalConfiguration = {
    judgeModel: options.judgeModel ?? file.judgeModel,
    judgeBaseUrl: options.judgeBaseUrl ?? file.judgeBaseUrl,
    temperature: options.judgeTemperature,
    reasoningEffort: options.judgeReasoningEffort,
    ...orFromFile(clientSettingsOf(options), file),
    // The settings file's output cap and budget are the generator's: the judge's come from flags only.
    maxOutputTokens: options.maxOutputTokens,
    budgetUsd: options.budget,
    samples: options.samples,
    codeDev: options.codeDev,
    codeTokenBudget: options.codeTokenBudget,
    leafTokenBudget: options.leafTokenBudget,
    paperTokenBudget: options.paperTokenBudget,
    callJournal: undefined,
  };
  useProcessSettings(options);
  // Fail on bad input before any work: no judge, a missing key, a missing folder, a broken rubric.
  const judge = judgeSettingsFrom({ configurable });
  await checkModelSettings(judge);
  if (options.codeDev && !options.rubric)
    throw new UserError("--code-dev applies to --rubric grading; give --rubric <rubric.json>", ExitCode.usage);
  if (options.referenceFiles?.length && !options.reference)
    throw new UserError("--reference-files needs --reference <the authors' repository>", ExitCode.usage);
  const root = repositoryRoot(repo);
  const referenceRoot = options.reference ? repositoryRoot(options.reference, "reference repository") : undefined;
  for (const paper of options.paper)
    if (!existsSync(paper)) throw new UserError(`--paper ${paper}: no such file or folder`, ExitCode.notFound);
  const rubric = options.rubric ? readRubric(options.rubric, options.codeDev ?? false) : undefined;
  await checkModelServer(judge);
  const input = {
    repoPath: root,
    outDir: "",
    paperPath: options.paper.length === 1 ? resolve(options.paper[0]!) : options.paper.map((p) => resolve(p)),
    referencePath: referenceRoot,
    referenceFiles: options.referenceFiles,
    rubricPath: options.rubric ? resolve(options.rubric) : undefined,
    referenceFree: options.referenceFree,
  };
  const modes = modesOf(input);
  const threadId = evaluationId({
    paths: { repo: root, paper: input.paperPath, reference: referenceRoot, rubric: input.rubricPath },
    settings: {
      modes,
      referenceFiles: options.referenceFiles,
      judge: judge.model,
      judgeBaseUrl: judge.baseUrl,
      // Resolved values: a default given explicitly is the same evaluation.
      temperature: judge.temperature,
      reasoningEffort: judge.reasoningEffort,
      ...Object.fromEntries(
        (["samples", "codeTokenBudget", "leafTokenBudget", "paperTokenBudget"] as const).map((k) => [k, evalSetting({ configurable }, k)]),
      ),
      codeDev: configurable.codeDev ?? false,
    },
  });
  const { location } = checkpointerLocation(options.checkpointer, file);
  const checkpointer = await openCheckpointer(location);
  const graph = compileEval(checkpointer.saver);
  const config: RunnableConfig = { configurable: { ...configurable, thread_id: threadId }, recursionLimit: 100 };
  let before = await graph.getState(config);
  // Continuing: where the evaluation began (its blobs and journal are there), unless --out says otherwise.
  const earlierOut = (before.values as Partial<EvalState>).outDir;
  const outDir = resolve(
    expandHome(options.out ?? "") || earlierOut || join("evals", `${slug(basename(resolve(repo)))}-${threadId.slice(5, 13)}`),
  );
  input.outDir = outDir;
  const journal = join(outDir, ".paper2code", "calls");
  (config.configurable as EvalConfiguration).callJournal = journal;
  const progress = new Progress({ enabled: !options.quiet });
  let unlock: (() => void) | undefined;
  try {
    unlock = lockRun(outDir);
    if (options.fresh) {
      // From scratch: the checkpointed judgments and the journal's replies would otherwise answer again.
      await checkpointer.saver.deleteThread(threadId);
      rmSync(journal, { recursive: true, force: true });
      before = await graph.getState(config);
    }
    const known = (before.values as Partial<EvalState>).modes !== undefined || before.tasks.length > 0;
    const finished = known && before.tasks.length === 0;
    startSpending(threadId, (before.values as Partial<EvalState>).calls ?? [], configurable.budgetUsd, judge.model);
    const leafNodes = rubric ? leavesOf(rubric) : [];
    const leaves = leafNodes.length;
    const requirementOf = new Map(leafNodes.map((l) => [l.id, l.requirements]));
    progress.line(
      `paper2code eval: ${root} with judge ${describeModel(judge)}; ${modes.join(", ")}${rubric ? ` (${leaves} leaves${options.codeDev ? ", Code-Dev" : ""})` : ""}`,
    );
    progress.line(
      `evaluation ${threadId} -> ${outDir}${finished ? " (already complete: the report is written again, no judge is called)" : known ? " (continuing: judgments already made are kept)" : ""}`,
    );

    let error: unknown;
    let stopSignal: NodeJS.Signals | undefined;
    if (!finished) {
      const made = judgmentsMade(before);
      if (made.size) progress.line(`  ${made.size} judgment(s) already made are kept`);
      const judged = { leaves: [...made].filter((k) => k.startsWith("leaf:")).length, made, requirementOf };
      ({ error, stopSignal } = await driveGraph(graph, known ? null : input, config, {
        stop: "abort",
        stopping: "stopping; judgments already made are kept (send it again to stop at once)",
        onUpdate: (node, update) => reportProgress(progress, node, update as Partial<EvalState>, leaves, judged),
      }));
    }

    const snapshot = await graph.getState(config);
    const state = snapshot.values as EvalState;
    if (!error && !stopSignal && snapshot.tasks.length > 0)
      error = new Error(`the evaluation stopped before finishing (next: ${snapshot.tasks.map((t) => t.name).join(", ")})`);
    if (error instanceof UserError && state.modes === undefined) throw error; // bad input found while preparing: nothing to report
    const status: EvalReportMeta["status"] = stopSignal
      ? "stopped"
      : error
        ? error instanceof BudgetExceededError
          ? "stopped"
          : "failed"
        : "complete";
    const report = await writeEvalReport(outDir, state, {
      status,
      judge: describeModel(judge),
      threadId,
      ...(error ? { error: errorMessage(error).split("\n")[0] } : {}),
      settings: Object.fromEntries(Object.entries(configurable).filter(([k, v]) => v !== undefined && k !== "callJournal")),
    });
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const again = `paper2code ${process.argv
      .slice(2)
      .filter((a) => a !== "--fresh")
      .map(quote)
      .join(" ")}`;
    if (error instanceof BudgetExceededError)
      throw new UserError(`${error.message}\n  to continue with a larger budget: ${again} --budget <USD>`, ExitCode.budget);
    if (error) {
      if (error instanceof UserError) throw error;
      const reason = error instanceof AgentOutputError ? error.message : errorMessage(error).split("\n")[0];
      throw new UserError(
        `evaluation failed: ${reason}\n  details: ${join(outDir, "eval.json")}\n  to continue (judgments already made are kept): ${again}`,
        ExitCode.model,
      );
    }
    if (stopSignal) {
      process.stderr.write(`stopped by ${stopSignal}; to continue: ${again}\n`);
      return STOPPED_EXIT_CODE;
    }
    printSummary(progress, report, outDir);
    const empty = [report.referenceFree, report.referenceBased].filter((m) => m && m.mean === null);
    if (empty.length)
      throw new UserError(
        `no valid judgment in ${empty.map((m) => m!.mode).join(", ")}: every sample's reply was unusable (see ${join(outDir, "eval.json")})`,
        ExitCode.incomplete,
      );
    return ExitCode.ok;
  } finally {
    unlock?.();
    await checkpointer.close();
  }
}

/** Judgments already in the checkpoint: applied to the state, or saved by tasks of the step still under way. */
function judgmentsMade(snapshot: StateSnapshot): Set<string> {
  const updates = [snapshot.values as Partial<EvalState>, ...snapshot.tasks.map((t) => (t.result ?? {}) as Partial<EvalState>)];
  return new Set(
    updates.flatMap((u) => [
      ...(u.samples ?? []).map((s) => `${s.mode}#${s.sample}`),
      ...Object.keys(u.leaves ?? {}).map((id) => `leaf:${id}`),
    ]),
  );
}

/**
 * One line per judgment as it lands (leaves counted against the rubric's total).
 * On resume LangGraph streams the saved results of finished tasks again: those are not news.
 */
function reportProgress(
  progress: Progress,
  node: string,
  update: Partial<EvalState>,
  leaves: number,
  judged: { leaves: number; made: Set<string>; requirementOf: Map<string, string> },
) {
  if (node === "judge_repository") {
    for (const s of update.samples ?? []) {
      if (judged.made.has(`${s.mode}#${s.sample}`)) continue;
      progress.line(`  ${s.mode} #${s.sample}: ${s.valid ? `score ${s.judgment!.score}` : `INVALID (${s.problem})`}`);
    }
  } else if (node === "judge_leaf") {
    for (const l of Object.values(update.leaves ?? {})) {
      if (judged.made.has(`leaf:${l.id}`)) continue;
      judged.leaves += 1;
      // A leaf is read by its requirement, cut to the terminal's width; its id stays for looking it up in eval.json.
      const head = `  [${judged.leaves}/${leaves}] ${l.score}${l.valid ? "" : " (no valid judgment)"} `;
      const tail = ` (${l.id.slice(0, 8)})`;
      const room = Math.max(20, (process.stderr.columns || 120) - head.length - tail.length - 1);
      const text = (judged.requirementOf.get(l.id) ?? l.id).replace(/\s+/g, " ").trim();
      progress.line(`${head}${text.length > room ? `${text.slice(0, room - 1)}…` : text}${tail}`);
    }
  } else if (node === "reference_files" && update.referenceSelection) {
    progress.line(`  authors' files read: ${update.referenceSelection.files.length} (${update.referenceSelection.by})`);
  } else if (node === "prepare") {
    progress.line(
      `  read the paper (${update.paper?.tokens.toLocaleString("en")} tokens) and ${update.submission?.files.length} repository file(s)`,
    );
  }
}

function printSummary(progress: Progress, report: EvalReport, outDir: string) {
  for (const m of [report.referenceFree, report.referenceBased]) {
    if (!m) continue;
    progress.line(
      `${m.mode}: ${m.mean === null ? "no valid judgment" : `${m.mean.toFixed(2)} / 5 (mean of ${m.valid} valid of ${m.samples} samples, sd ${m.stdev!.toFixed(2)})`}` +
        (m.invalid || m.invalidReplies ? `; ${m.invalid} invalid sample(s), ${m.invalidReplies} unusable repl(ies)` : ""),
    );
  }
  const r = report.rubric;
  if (r)
    progress.line(
      `rubric: ${r.score.toFixed(1)}% (${r.passed} of ${r.leaves} leaves met${r.invalid ? `, ${r.invalid} without a valid judgment` : ""})`,
    );
  const t = report.usage.total;
  progress.line(
    `${t.calls} judge calls, ${t.inputTokens.toLocaleString("en")} input / ${t.outputTokens.toLocaleString("en")} output tokens, ` +
      `${report.costUsd === null ? "cost unknown" : `$${report.costUsd.toFixed(4)}`}; report: ${join(outDir, "eval.html")} (and eval.md, eval.json)`,
  );
}
