import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Send } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import type { LeafTask, RepositoryTask } from "./state.js";
import { describeZodError } from "../llm/ask.js";
import { ExitCode, UserError } from "../errors.js";
import { storePaper } from "../nodes/ingest.js";
import { loadPaper } from "../paper/load.js";
import { pdfPassword } from "../paper/password.js";
import { readRepository } from "./files.js";
import { evalSetting, judgeSettingsFrom, readEvalConfiguration } from "./judge-model.js";
import { writeEvalReport } from "./report.js";
import { ancestry, leavesOf, parseRubric, pruneToCodeDevelopment, type RubricNode } from "./rubric.js";
import { storeRepository } from "./store.js";
import type { EvalMode, EvalState } from "./state.js";

/** The modes the inputs ask for: rubric with a rubric, reference-based with a reference, reference-free when neither (or when asked too). */
export function modesOf(input: Pick<EvalState, "rubricPath" | "referencePath" | "referenceFree">): EvalMode[] {
  const modes: EvalMode[] = [];
  if (input.referenceFree || (!input.rubricPath && !input.referencePath)) modes.push("reference-free");
  if (input.referencePath) modes.push("reference-based");
  if (input.rubricPath) modes.push("rubric");
  return modes;
}

/** Read and check a PaperBench rubric (and prune it to Code Development when asked). */
export function readRubric(path: string, codeDev: boolean): RubricNode {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code === "ENOENT" ? ExitCode.notFound : ExitCode.badInput;
    throw new UserError(`rubric ${path}: ${(error as Error).message}`, code);
  }
  let rubric: RubricNode;
  try {
    rubric = parseRubric(raw);
  } catch (error) {
    throw new UserError(
      `rubric ${path} is not a PaperBench rubric (nodes with id, requirements, weight, sub_tasks): ${error instanceof z.ZodError ? describeZodError(error) : (error as Error).message}`,
      ExitCode.badInput,
    );
  }
  const ids = leavesOf(rubric).map((l) => l.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new UserError(`rubric ${path}: the id ${repeated} is used by more than one leaf`, ExitCode.badInput);
  if (!codeDev) return rubric;
  const pruned = pruneToCodeDevelopment(rubric);
  if (!pruned) throw new UserError(`rubric ${path}: no leaf has task_category "Code Development"; drop --code-dev`, ExitCode.badInput);
  return pruned;
}

/** Read the paper, the submission, the reference and the rubric once; the judges read them from the store. */
export async function prepareEvalNode(state: EvalState, config?: RunnableConfig) {
  judgeSettingsFrom(config); // no judge: fail before reading anything
  if (!state.repoPath) throw new UserError("no repository given: set repoPath", ExitCode.usage);
  if (!state.paperPath || (Array.isArray(state.paperPath) && state.paperPath.length === 0))
    throw new UserError("no paper given: set paperPath", ExitCode.usage);
  if (!state.outDir) throw new UserError("no output folder given: set outDir", ExitCode.usage);
  const outDir = resolve(state.outDir);
  const modes = modesOf(state);
  const rubric = state.rubricPath ? readRubric(state.rubricPath, readEvalConfiguration(config).codeDev ?? false) : undefined;
  const submission = await storeRepository(outDir, readRepository(state.repoPath));
  let reference;
  if (state.referencePath) {
    reference = await storeRepository(outDir, readRepository(state.referencePath, "reference repository"));
    const known = new Set(reference.files.map((f) => f.path));
    const unknown = (state.referenceFiles ?? []).filter((f) => !known.has(f));
    if (unknown.length)
      throw new UserError(`--reference-files: not text files of ${reference.root}: ${unknown.join(", ")}`, ExitCode.notFound);
  } else if (state.referenceFiles?.length) {
    throw new UserError("--reference-files needs --reference <the authors' repository>", ExitCode.usage);
  }
  const paper = await loadPaper(state.paperPath, { password: pdfPassword() });
  const { record } = await storePaper(outDir, paper, evalSetting(config, "paperTokenBudget"), true);
  const notes = [
    ...record.warnings.map((w) => `paper: ${w}`),
    ...(submission.skipped.length
      ? [`not read from the repository (binary, hidden or over 512 KiB): ${submission.skipped.join(", ")}`]
      : []),
  ];
  return { outDir, modes, rubric, submission, reference, paper: record, notes };
}

/** One task per judgment still to make: repository samples per mode, one per rubric leaf. */
export function sendJudges(state: EvalState, config?: RunnableConfig): Send[] | "report" {
  const modes = state.modes ?? [];
  const samples = evalSetting(config, "samples");
  const sends: Send[] = [];
  for (const mode of ["reference-free", "reference-based"] as const) {
    if (!modes.includes(mode)) continue;
    const done = new Set(state.samples.filter((s) => s.mode === mode).map((s) => s.sample));
    for (let sample = 1; sample <= samples; sample++) {
      if (done.has(sample)) continue;
      const task: RepositoryTask = {
        outDir: state.outDir,
        paper: state.paper,
        submission: state.submission,
        reference: state.reference,
        referenceSelection: state.referenceSelection,
        mode,
        sample,
        samples,
      };
      sends.push(new Send("judge_repository", task));
    }
  }
  if (modes.includes("rubric") && state.rubric) {
    for (const leaf of leavesOf(state.rubric)) {
      if (state.leaves[leaf.id]) continue;
      const path = ancestry(state.rubric, leaf.id)!;
      const task: LeafTask = {
        outDir: state.outDir,
        paper: state.paper,
        submission: state.submission,
        leaf: { id: leaf.id, requirements: leaf.requirements, category: leaf.task_category ?? "uncategorised" },
        context: path.slice(0, -1).map((n) => n.requirements),
      };
      sends.push(new Send("judge_leaf", task));
    }
  }
  return sends.length ? sends : "report";
}

/** Write eval.json and eval.md (the CLI writes them again with its own status). */
export async function evalReportNode(state: EvalState, config?: RunnableConfig) {
  const judge = readEvalConfiguration(config).judgeModel ?? process.env.PAPER2CODE_JUDGE_MODEL;
  await writeEvalReport(state.outDir, state, { status: "complete", judge });
  return { reportPath: resolve(state.outDir, "eval.md") };
}
