import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor, settingsOf } from "../src/configuration.js";
import { askJson, type Asked } from "../src/llm/ask.js";
import { contextOf, type SharedContext } from "../src/llm/context.js";
import type { ResolvedModel } from "../src/models/factory.js";
import { loadPrompt, prompt } from "../src/prompts.js";
import type { ReviewIssue, ReviewRecord } from "../src/review/types.js";
import { writeArtifact } from "../src/workspace/writer.js";
import { stateOf, whereOf, type ReviewedStage, type StageState } from "./stage.js";

export const VerdictSchema = z.object({
  passed: z.boolean().describe("True when the artifact can be used as it is"),
  score: z.number().int().min(1).max(5).describe("1 (unusable) to 5 (faithful and complete)"),
  issues: z
    .array(
      z.object({
        severity: z.enum(["high", "medium", "low"]),
        location: z.string().describe("Where in the artifact: a field, file, key or section"),
        problem: z.string(),
        suggestion: z.string().describe("How to fix it"),
      }),
    )
    .describe("Problems found; empty when none"),
  summary: z.string().describe("One or two sentences"),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export function renderIssues(issues: ReviewIssue[]): string {
  if (issues.length === 0) return "(none)";
  return issues.map((i) => `- [${i.severity}] ${i.location}: ${i.problem}${i.suggestion ? ` (fix: ${i.suggestion})` : ""}`).join("\n");
}

/** Verifier: a structured verdict on one artifact, against the paper, a stage checklist and the deterministic findings. */
export async function verifyArtifact(
  model: ResolvedModel,
  context: SharedContext,
  input: { stage: string; label: string; file?: string; artifact: string; checks: ReviewIssue[] },
): Promise<Asked<Verdict>> {
  const task = prompt("verifier", {
    what: input.file ? `${input.label} of \`${input.file}\`` : input.label,
    checklist: loadPrompt(`checklists/${input.stage}`),
    artifact: input.artifact,
    checks: renderIssues(input.checks),
  });
  return askJson(model, context, task, VerdictSchema, { agent: "verifier", file: input.file, schemaName: "verdict" });
}

/** The verifier's issues, in the shape the deterministic checks use. */
export function verdictIssues(verdict: Verdict): ReviewIssue[] {
  return verdict.issues.map((i) => ({ ...i, source: "verifier" as const }));
}

/** What the review nodes read of a state: its review records, and the file a per-file stage is about. */
export type ReviewState = StageState & { reviews: ReviewRecord[] };

export const reviewsOf = (state: ReviewState, stage: ReviewedStage) =>
  state.reviews.filter((r) => r.stage === stage.name && r.file === state.target);

export const reviewDir = (stage: ReviewedStage, file?: string) => (file ? `reviews/${stage.name}/${file}` : `reviews/${stage.name}`);

export const roundsOf = (config: RunnableConfig | undefined, stage: ReviewedStage) =>
  settingsOf(config).refineRounds(stage.refine.setting, stage.refine.default);

/** Verify node: deterministic checks always; the verifier's verdict when the stage has refine rounds. */
export function verifyNode<S extends ReviewState>(stage: ReviewedStage<S>) {
  return async (input: S, runConfig?: RunnableConfig) => {
    const state = await stateOf(stage, input);
    const value = stage.get(state);
    const checks = await stage.checks(state, value);
    const max = roundsOf(runConfig, stage);
    const prior = reviewsOf(state, stage);
    const refinesDone = prior.filter((r) => r.action === "refine").length;
    let verdict;
    let calls: Asked<unknown>["calls"] = [];
    if (max > 0) {
      const asked = await verifyArtifact(await modelFor(runConfig), await contextOf(state, stage.reads), {
        stage: stage.name,
        label: stage.label,
        file: state.target,
        artifact: stage.show(value),
        checks,
      });
      verdict = asked.value;
      calls = asked.calls;
    }
    const issues = [...checks, ...(verdict ? verdictIssues(verdict) : [])];
    // Only high and medium problems are worth a refinement; low ones are open points (notes, the README).
    const passed = !issues.some((i) => i.severity === "high" || i.severity === "medium");
    const action: ReviewRecord["action"] = passed ? "accepted" : refinesDone < max ? "refine" : "gave-up";
    const record: ReviewRecord = {
      stage: stage.name,
      ...(state.target ? { file: state.target } : {}),
      round: prior.length,
      passed,
      ...(verdict ? { score: verdict.score, summary: verdict.summary } : {}),
      issues,
      action,
    };
    await writeArtifact(
      state.outDir!,
      `${reviewDir(stage, state.target)}/round-${record.round}-verdict.json`,
      `${JSON.stringify(record, null, 2)}\n`,
    );
    const where = whereOf(stage, state);
    const blocking = issues.filter((i) => i.severity !== "low");
    const notes = [
      ...(action === "gave-up"
        ? [
            `${where}: ${blocking.length} problem(s) remain after ${refinesDone} refine round(s): ${blocking.map((i) => i.problem).join("; ")}`,
          ]
        : []),
      ...(action !== "refine" ? issues.filter((i) => i.severity === "low").map((i) => `${where}: open point: ${i.problem}`) : []),
    ];
    return { reviews: [record], calls, notes };
  };
}

/** After a verify node: refine when the last verdict asked for it, else go on. */
export function afterVerify<S extends ReviewState>(stage: ReviewedStage, refineNode: string, next: string) {
  return (state: S) => (reviewsOf(state, stage).at(-1)?.action === "refine" ? refineNode : next);
}
