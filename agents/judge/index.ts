import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { AgentOutputError } from "../../src/errors.js";
import { askJson, unlessUnusable } from "../../src/llm/ask.js";
import type { CallRecord } from "../../src/llm/usage.js";
import { prompt } from "../../src/prompts.js";
import { paperMarkdownOf } from "../../src/workspace/design.js";
import { codeFirst, packFiles, rankFiles, type PackedFiles } from "../../src/eval/files.js";
import { evalSetting, judgeFor } from "../../src/eval/judge-model.js";
import { loadFiles } from "../../src/eval/store.js";
import { RepositoryJudgmentSchema } from "./schema.js";
import type { EvalState, LeafJudgment, LeafTask, ReferenceSelection, RepositorySample, RepositoryTask } from "../../src/eval/state.js";

export type { LeafTask, RepositoryTask } from "../../src/eval/state.js";
export { RepositoryJudgmentSchema, type RepositoryJudgment } from "./schema.js";

export const LeafJudgmentSchema = z.object({
  explanation: z.string().min(1).describe("What the code does and where, and why that meets the requirement or not"),
  score: z.union([z.literal(0), z.literal(1)]).describe("1 if the requirement is met, else 0"),
});

/** The judge's choice of gold files: only paths that exist in the authors' repository. */
function referenceChoiceSchema(paths: ReadonlySet<string>) {
  return z.object({
    files: z
      .array(z.string())
      .min(1)
      .superRefine((files, ctx) => {
        const unknown = files.filter((f) => !paths.has(f));
        if (unknown.length)
          ctx.addIssue({
            code: "custom",
            message: `not files of the repository: ${unknown.slice(0, 5).join(", ")} (use the paths exactly as listed)`,
          });
      })
      .describe("Paths of the files to read, most important first"),
    reason: z.string().describe("Why these files, in one sentence"),
  });
}

/** Replies that could not be used: one before each re-ask, and the last one when the judge never gave a usable reply. */
const invalidRepliesOf = (calls: CallRecord[], failed: boolean) => calls.filter((c) => c.repairOf).length + (failed ? 1 : 0);

/**
 * Ask the judge; an unusable reply (after its re-ask) is an invalid judgment,
 * counted and reported, never a crash of the evaluation.
 */
async function judge<S extends z.ZodType>(
  config: RunnableConfig | undefined,
  paper: string,
  task: string,
  schema: S,
  meta: { agent: string; schemaName: string; file: string },
): Promise<{ value?: z.infer<S>; problem?: string; calls: CallRecord[]; invalidReplies: number }> {
  const asked = await unlessUnusable(askJson(await judgeFor(config), paper, task, schema, { ...meta, system: "judge-system" }));
  if (asked instanceof AgentOutputError) {
    const calls = asked.calls ?? [];
    return { problem: asked.message.replace(/^[^:]+: /, ""), calls, invalidReplies: invalidRepliesOf(calls, true) };
  }
  return { value: asked.value, calls: asked.calls, invalidReplies: invalidRepliesOf(asked.calls, false) };
}

const describeShown = (packed: PackedFiles) =>
  `${packed.shown.length} file(s), ${packed.tokens.toLocaleString("en")} tokens` +
  (packed.omitted.length ? `; not shown for lack of room: ${packed.omitted.join(", ")}` : "");

/** One independent repository-level judgment: reference-free, or against the authors' code. */
export async function judgeRepositoryNode(task: RepositoryTask, config?: RunnableConfig) {
  const budget = evalSetting(config, "codeTokenBudget");
  const packed = packFiles(codeFirst(await loadFiles(task.outDir, task.submission!)), budget);
  let standard = "Judge the repository against the paper alone.";
  let reference = "";
  if (task.mode === "reference-based") {
    const gold = await loadFiles(task.outDir, task.reference!, task.referenceSelection?.files);
    // All files: code first; else the user's or the judge's order, most important first.
    const chosen = task.referenceSelection?.by === "all" ? undefined : task.referenceSelection?.files;
    const ordered = chosen ? [...gold].sort((a, b) => chosen.indexOf(a.path) - chosen.indexOf(b.path)) : codeFirst(gold);
    const goldPacked = packFiles(ordered, budget);
    standard =
      "The authors' official code is given below as the standard: a component counts as correct when it does what the authors' code does (names and structure may differ). Where the authors' code and the paper disagree, say so and follow the authors' code.";
    reference = `## The authors' code, the standard (${describeShown(goldPacked)})\n\n${goldPacked.text}`;
  }
  const text = prompt("judge-repository", {
    mode: task.mode,
    standard,
    reference,
    shown: describeShown(packed),
    code: packed.text,
    sample: String(task.sample),
    samples: String(task.samples),
  });
  const asked = await judge(config, await paperMarkdownOf(task), text, RepositoryJudgmentSchema, {
    agent: "judge",
    schemaName: "repository_judgment",
    file: `${task.mode}#${task.sample}`,
  });
  const sample: RepositorySample = {
    mode: task.mode,
    sample: task.sample,
    valid: asked.value !== undefined,
    ...(asked.value ? { judgment: asked.value } : { problem: asked.problem }),
    invalidReplies: asked.invalidReplies,
    shown: packed.shown.map((f) => f.path),
    omitted: packed.omitted,
  };
  return { samples: [sample], calls: asked.calls };
}

/**
 * Which of the authors' files the reference-based judge reads: the user's list,
 * all of them when they fit, else the judge's choice (a deterministic
 * code-first choice when the judge gives no usable one).
 */
export async function chooseReferenceFilesNode(state: EvalState, config?: RunnableConfig) {
  if (!state.modes?.includes("reference-based") || state.referenceSelection) return {};
  const reference = state.reference!;
  if (state.referenceFiles?.length) {
    return { referenceSelection: { by: "user", files: state.referenceFiles, invalidReplies: 0 } satisfies ReferenceSelection };
  }
  const budget = evalSetting(config, "codeTokenBudget");
  const total = reference.files.reduce((sum, f) => sum + f.tokens, 0);
  if (total <= budget)
    return { referenceSelection: { by: "all", files: reference.files.map((f) => f.path), invalidReplies: 0 } satisfies ReferenceSelection };
  const listing = reference.files.map((f) => `- ${f.path}: ${f.tokens}`).join("\n");
  const task = prompt("judge-reference-files", { total: total.toLocaleString("en"), budget: budget.toLocaleString("en"), listing });
  const asked = await judge(
    config,
    await paperMarkdownOf(state),
    task,
    referenceChoiceSchema(new Set(reference.files.map((f) => f.path))),
    {
      agent: "judge-reference-files",
      schemaName: "reference_files",
      file: "reference",
    },
  );
  const selection: ReferenceSelection = asked.value
    ? { by: "judge", files: [...new Set(asked.value.files as string[])], reason: asked.value.reason, invalidReplies: asked.invalidReplies }
    : {
        by: "fallback",
        files: codeFirst(reference.files).map((f) => f.path),
        reason: `the judge gave no usable choice (${asked.problem}); code files first`,
        invalidReplies: asked.invalidReplies,
      };
  const notes = asked.value ? [] : [`reference files: ${selection.reason}`];
  return { referenceSelection: selection, calls: asked.calls, notes };
}

/** One rubric leaf, judged 0 or 1 with the submission files that match it best. */
export async function judgeLeafNode(task: LeafTask, config?: RunnableConfig) {
  const files = await loadFiles(task.outDir, task.submission!);
  const ranked = rankFiles(files, [{ text: task.leaf.requirements, weight: 1 }, ...task.context.map((text) => ({ text, weight: 0.3 }))]);
  const packed = packFiles(
    ranked.map((r) => r.file),
    evalSetting(config, "leafTokenBudget"),
  );
  const text = prompt("judge-leaf", {
    ancestry: task.context.map((requirement, depth) => `${"  ".repeat(depth)}- ${requirement}`).join("\n") || "(none)",
    id: task.leaf.id,
    category: task.leaf.category,
    requirement: task.leaf.requirements,
    shown: describeShown(packed),
    code: packed.text,
  });
  const asked = await judge(config, await paperMarkdownOf(task), text, LeafJudgmentSchema, {
    agent: "judge-leaf",
    schemaName: "leaf_judgment",
    file: task.leaf.id,
  });
  const judgment: LeafJudgment = {
    id: task.leaf.id,
    score: asked.value?.score ?? 0,
    valid: asked.value !== undefined,
    explanation: asked.value?.explanation ?? `no valid judgment (scored 0): ${asked.problem}`,
    invalidReplies: asked.invalidReplies,
    files: packed.shown,
  };
  return { leaves: { [task.leaf.id]: judgment }, calls: asked.calls };
}
