import type { RunnableConfig } from "@langchain/core/runnables";
import { ANALYST_CONTEXT, AnalysisSchema, analystTask, type Analysis } from "../../agents/analyst.js";
import { ARCHITECT_CONTEXT, ArchitectureReplySchema, ArchitectureSchema, architectTask, type Architecture } from "../../agents/architect.js";
import { askConfig, CONFIG_CONTEXT, configWriterTask, type ConfigArtifact } from "../../agents/config-writer.js";
import { LOGIC_CONTEXT, LogicDesignReplySchema, LogicDesignSchema, logicDesignerTask, writeLogicArtifacts, type LogicDesign } from "../../agents/logic-designer.js";
import { PLANNER_CONTEXT, PlanSchema, type Plan } from "../../agents/planner.js";
import { contextOf, type ContextPart, type SharedContext } from "../llm/context.js";
import { applyConfigReply, CONFIG_EDIT_FORMAT, JSON_PATCH_FORMAT, mergePatch, patchSchemaOf, type KeyedLists } from "./patch.js";
import { refineTask } from "../../agents/refiner.js";
import { verdictIssues, verifyArtifact } from "../../agents/verifier.js";
import { modelFor, refineRoundsFrom, type RefineStage } from "../configuration.js";
import { AgentOutputError } from "../errors.js";
import { askJson, type Asked } from "../llm/ask.js";
import type { ResolvedModel } from "../models/factory.js";
import { prompt } from "../prompts.js";
import { renderAnalysis, renderArchitecture, renderLogic, renderPlan } from "../render/artifacts.js";
import { withDesign, type Design, type FileAnalysisState, type PaperToCodeState } from "../state.js";
import { writeArtifact } from "../workspace/writer.js";
import { provenanceOfRun } from "../provenance/of-run.js";
import { checkAnalysis, checkArchitecture, checkConfig, checkLogic, checkPlan, provenanceIssues } from "./stage-checks.js";
import type { ReviewIssue, ReviewRecord, ReviewStage } from "./types.js";

/** What the verify and refine nodes need to know about one kind of artifact. */
interface StageSpec<S, T> {
  stage: ReviewStage;
  /** Read what the state only references (a per-file task's design) before the other functions run. */
  load?: (state: never) => Promise<S>;
  rounds: RefineStage;
  get(state: S): T;
  /** What the verifier reads. */
  show(value: T): string;
  /** What the refiner edits (the format it must answer in). */
  current(value: T): string;
  extension: string;
  /** The design artifacts the verifier and refiner read besides the paper: those the stage's agent read. */
  contextParts: readonly ContextPart[];
  checks(state: S, value: T): ReviewIssue[] | Promise<ReviewIssue[]>;
  instructions(state: S): string;
  /** How the refiner answers: a patch of the artifact (see patch.ts). */
  format: string;
  refine(model: ResolvedModel, context: SharedContext, task: string, state: S, current: T): Promise<Asked<T>>;
  update(value: T, state: S): Partial<PaperToCodeState>;
  write(outDir: string, value: T, state: S): Promise<unknown>;
}

type PlanningState = PaperToCodeState;
/** Lists of named entries that a refiner's patch changes entry by entry. */
const PLAN_LISTS: KeyedLists = { components: "name", hyperparameters: "name" };
const FILE_LISTS: KeyedLists = { files: "path" };
const ANALYSIS_LISTS: KeyedLists = { interfaces: "name" };
const json = (v: unknown) => JSON.stringify(v, null, 2);

const plan: StageSpec<PlanningState, Plan> = {
  stage: "plan",
  rounds: "plan",
  get: (s) => s.plan!,
  show: renderPlan,
  current: json,
  extension: "json",
  contextParts: PLANNER_CONTEXT,
  checks: (_, v) => checkPlan(v),
  instructions: () => prompt("planner"),
  format: JSON_PATCH_FORMAT(PLAN_LISTS),
  refine: (m, context, task, _, current) =>
    askJson(m, context, task, patchSchemaOf(PlanSchema, PLAN_LISTS), { agent: "refiner", schemaName: "plan_patch" }, (patch) => PlanSchema.parse(mergePatch(current, patch, PLAN_LISTS))),
  update: (v) => ({ plan: v }),
  write: (out, v) => writeArtifact(out, "plan.md", renderPlan(v)),
};

const architecture: StageSpec<PlanningState, Architecture> = {
  stage: "architecture",
  rounds: "architecture",
  get: (s) => s.architecture!,
  show: renderArchitecture,
  current: json,
  extension: "json",
  contextParts: ARCHITECT_CONTEXT,
  checks: (_, v) => checkArchitecture(v),
  instructions: architectTask,
  format: JSON_PATCH_FORMAT(FILE_LISTS),
  refine: (m, context, task, _, current) =>
    askJson(m, context, task, patchSchemaOf(ArchitectureSchema, FILE_LISTS), { agent: "refiner", schemaName: "architecture_patch" }, (patch) =>
      ArchitectureReplySchema.parse(mergePatch(current, patch, FILE_LISTS)),
    ),
  update: (v) => ({ architecture: v }),
  write: (out, v) => writeArtifact(out, "architecture.md", renderArchitecture(v)),
};

const logic: StageSpec<PlanningState, LogicDesign> = {
  stage: "logic",
  rounds: "logic",
  get: (s) => s.logic!,
  show: renderLogic,
  current: json,
  extension: "json",
  contextParts: LOGIC_CONTEXT,
  checks: (s, v) => checkLogic(v, s.architecture!),
  instructions: logicDesignerTask,
  format: JSON_PATCH_FORMAT(FILE_LISTS),
  refine: (m, context, task, _, current) =>
    askJson(m, context, task, patchSchemaOf(LogicDesignSchema, FILE_LISTS), { agent: "refiner", schemaName: "logic_design_patch" }, (patch) =>
      LogicDesignReplySchema.parse(mergePatch(current, patch, FILE_LISTS)),
    ),
  update: (v) => ({ logic: v }),
  write: (out, v) => writeLogicArtifacts(out, v),
};

const config: StageSpec<PlanningState, ConfigArtifact> = {
  stage: "config",
  rounds: "config",
  get: (s) => s.config!,
  show: (v) => `\`\`\`yaml\n${v.yaml}\`\`\``,
  current: (v) => `\`\`\`yaml\n${v.yaml}\`\`\``,
  extension: "yaml",
  contextParts: CONFIG_CONTEXT,
  checks: async (s, v) => {
    const provenance = await provenanceOfRun(s, v);
    return [...checkConfig(v, s.plan!), ...(provenance ? provenanceIssues(provenance) : [])];
  },
  instructions: configWriterTask,
  format: CONFIG_EDIT_FORMAT,
  refine: (m, context, task, _, current) => askConfig(m, context, task, "refiner", (reply) => applyConfigReply(current.yaml, reply)),
  update: (v) => ({ config: v }),
  write: (out, v) => writeArtifact(out, "config.yaml", v.yaml),
};

const analysis: StageSpec<FileAnalysisState & Design, Analysis> = {
  stage: "analysis",
  load: (state: FileAnalysisState) => withDesign(state),
  rounds: "analysis",
  get: (s) => s.analyses[s.target]!,
  show: (v) => json(v),
  current: json,
  extension: "json",
  contextParts: ANALYST_CONTEXT,
  checks: (s, v) => checkAnalysis(v, s.config!, s.target),
  instructions: analystTask,
  format: JSON_PATCH_FORMAT(ANALYSIS_LISTS),
  refine: (m, context, task, s, current) =>
    askJson(m, context, task, patchSchemaOf(AnalysisSchema, ANALYSIS_LISTS), { agent: "refiner", file: s.target, schemaName: "file_analysis_patch" }, (patch) =>
      AnalysisSchema.parse(mergePatch(current, patch, ANALYSIS_LISTS)),
    ),
  update: (v, s) => ({ analyses: { [s.target]: v } }),
  write: (out, v, s) => writeArtifact(out, `analysis/${s.target}.md`, renderAnalysis(s.target, v)),
};

export const STAGES = { plan, architecture, logic, config, analysis };

type ReviewState = { outDir?: string; paper?: PaperToCodeState["paper"]; reviews: ReviewRecord[]; target?: string };

const reviewsOf = (state: ReviewState, stage: ReviewStage) =>
  state.reviews.filter((r) => r.stage === stage && r.file === state.target);

const reviewDir = (stage: ReviewStage, file?: string) => (file ? `reviews/${stage}/${file}` : `reviews/${stage}`);

/** Verify node: deterministic checks always; the verifier's verdict when the stage has refine rounds. */
export function verifyNode<S extends ReviewState>(spec: StageSpec<S, unknown>) {
  return async (input: S, runConfig?: RunnableConfig) => {
    const state = spec.load ? await spec.load(input as never) : input;
    const value = spec.get(state);
    const checks = await spec.checks(state, value);
    const max = refineRoundsFrom(runConfig, spec.rounds);
    const prior = reviewsOf(state, spec.stage);
    const refinesDone = prior.filter((r) => r.action === "refine").length;
    let verdict;
    let calls: Asked<unknown>["calls"] = [];
    if (max > 0) {
      const asked = await verifyArtifact(await modelFor(runConfig), await contextOf(state, spec.contextParts), {
        stage: spec.stage,
        file: state.target,
        artifact: spec.show(value),
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
      stage: spec.stage,
      ...(state.target ? { file: state.target } : {}),
      round: prior.length,
      passed,
      ...(verdict ? { score: verdict.score, summary: verdict.summary } : {}),
      issues,
      action,
    };
    await writeArtifact(state.outDir!, `${reviewDir(spec.stage, state.target)}/round-${record.round}-verdict.json`, `${json(record)}\n`);
    const where = state.target ? `${spec.stage} of ${state.target}` : spec.stage;
    const blocking = issues.filter((i) => i.severity !== "low");
    const notes = [
      ...(action === "gave-up" ? [`${where}: ${blocking.length} problem(s) remain after ${refinesDone} refine round(s): ${blocking.map((i) => i.problem).join("; ")}`] : []),
      ...(action !== "refine" ? issues.filter((i) => i.severity === "low").map((i) => `${where}: open point: ${i.problem}`) : []),
    ];
    return { reviews: [record], calls, notes };
  };
}

/** After a verify node: refine when the last verdict asked for it, else go on. */
export function afterVerify<S extends ReviewState>(stage: ReviewStage, refineNode: string, next: string | string[]) {
  return (state: S) => (reviewsOf(state, stage).at(-1)?.action === "refine" ? refineNode : next);
}

/** Refine node: the critique of the last round turned into a corrected artifact; before and after are kept. */
export function refineNode<S extends ReviewState>(spec: StageSpec<S, unknown>) {
  return async (input: S, runConfig?: RunnableConfig) => {
    const state = spec.load ? await spec.load(input as never) : input;
    const last = reviewsOf(state, spec.stage).at(-1)!;
    const value = spec.get(state);
    const task = refineTask({
      stage: spec.stage,
      file: state.target,
      instructions: spec.instructions(state),
      current: spec.current(value),
      // The refiner fixes what blocks the artifact; low-severity points are left to the notes.
      critique: last.issues.filter((i) => i.severity !== "low"),
      format: spec.format,
    });
    let asked: Asked<unknown>;
    try {
      asked = await spec.refine(await modelFor(runConfig), await contextOf(state, spec.contextParts), task, state, value);
    } catch (error) {
      // A refinement is an improvement, not a step the run needs: an unusable one leaves the artifact as it was.
      if (!(error instanceof AgentOutputError)) throw error;
      const where = state.target ? `${spec.stage} of ${state.target}` : spec.stage;
      return { calls: error.calls ?? [], notes: [`refiner for ${where}: ${error.message}; the artifact is kept as it was`] };
    }
    const dir = reviewDir(spec.stage, state.target);
    await writeArtifact(state.outDir!, `${dir}/round-${last.round}-before.${spec.extension}`, spec.current(value));
    await writeArtifact(state.outDir!, `${dir}/round-${last.round}-after.${spec.extension}`, spec.current(asked.value));
    await spec.write(state.outDir!, asked.value, state);
    return {
      ...spec.update(asked.value, state),
      calls: asked.calls,
      notes: asked.repairs.map((r) => `refiner re-asked for ${spec.stage}: ${r}`),
    };
  };
}
