import { analysisStage } from "../agents/analyst/stage.js";
import { architectureStage } from "../agents/architect/stage.js";
import { configStage } from "../agents/config-writer/stage.js";
import { logicStage } from "../agents/logic-designer/stage.js";
import { planStage } from "../agents/planner/stage.js";
import type { ReviewedStage } from "../agents/stage.js";
import { codersWaitForAnalyses, REPAIR_CODE_DEFAULT, type StageShape } from "../src/run-shape.js";

/**
 * The planning stages in pipeline order, each with the stage whose gate it
 * waits for (the plan waits for the paper). Each becomes
 * `<node> -> verify_<name> (<-> refine_<name>) -> <name>_ready` in the graph;
 * the gates of the stages no later stage waits for lead to reconcile_design.
 * Every vocabulary below is derived from this list and the analysis stage.
 */
export const PLANNING_STAGES = [
  { stage: planStage, after: undefined },
  { stage: architectureStage, after: planStage },
  { stage: logicStage, after: architectureStage },
  { stage: configStage, after: planStage },
] as const satisfies readonly { stage: ReviewedStage; after?: ReviewedStage }[];

/** Stages whose artifact a person can approve or edit: each ends at a gate node `<stage>_ready`. */
export const REVIEWED_STAGES = [...PLANNING_STAGES.map((s) => s.stage), analysisStage] as const;
export const REVIEWABLE_STAGES: readonly string[] = REVIEWED_STAGES.map((s) => s.name);
export type ReviewableStage = string;

export const gateOf = (stage: { name: string }) => `${stage.name}_ready`;

/** The node a planning stage's agent starts after: the gate of the stage it waits for, or the paper's ingest. */
export const startOf = (entry: (typeof PLANNING_STAGES)[number]) => (entry.after ? gateOf(entry.after) : "ingest");

/** The planning stages no later one waits for: their gates lead to reconcile_design. */
export const LAST_PLANNING_STAGES = PLANNING_STAGES.filter(({ stage }) => !PLANNING_STAGES.some((s) => s.after === stage)).map(
  (s) => s.stage,
);

export function reviewedStage(name: string): ReviewedStage {
  const stage = REVIEWED_STAGES.find((s) => s.name === name);
  if (!stage) throw new Error(`unknown stage '${name}' (stages: ${REVIEWABLE_STAGES.join(", ")})`);
  return stage;
}

/** The stages as users name them (`--review`, `rewind --to`, `edit`), in pipeline order. */
export const PIPELINE_STAGES: readonly string[] = [...REVIEWABLE_STAGES, "coding", "checks", "execution"];
export type PipelineStage = string;

/** Verify/refine rounds: one setting per reviewed stage, and the code repair rounds after the static checks. */
export const REFINE_STAGES: readonly string[] = [...REVIEWABLE_STAGES, "code"];
export const REFINE_SETTINGS: Record<string, { setting: string; default: number }> = {
  ...Object.fromEntries(REVIEWED_STAGES.map((s) => [s.name, s.refine])),
  code: { setting: "repairCode", default: REPAIR_CODE_DEFAULT },
};

/** The stage of each node: a reviewed stage's four nodes, and the rest of the pipeline. */
const NODE_STAGE: Record<string, string> = {
  ...Object.fromEntries(
    REVIEWED_STAGES.flatMap((s) => [s.node, `verify_${s.name}`, `refine_${s.name}`, gateOf(s)].map((node) => [node, s.name])),
  ),
  reconcile_design: "analysis",
  reconcile_logic: "analysis",
  plan_files: "analysis",
  file: "coding",
  analysis: "analysis",
  coder: "coding",
  check_code: "checks",
  repair_code: "checks",
  finalize: "checks",
  smoke_run: "execution",
  debugger: "execution",
  execution_report: "execution",
};

export function stageOfNode(node: string): string | undefined {
  return NODE_STAGE[node];
}

/**
 * Where a re-run of a stage starts: the checkpoint about to run `node`, forked
 * as if `after` had just written (so LangGraph runs the stage again instead of
 * replaying the writes it saved). `first`: the oldest such checkpoint, for
 * nodes that run more than once (a repair round).
 */
export interface ForkPoint {
  node: string;
  after: string;
  first?: boolean;
}

export const REWIND_POINTS: Record<string, ForkPoint> = {
  ...Object.fromEntries(PLANNING_STAGES.map((entry) => [entry.stage.name, { node: entry.stage.node, after: startOf(entry) }])),
  analysis: { node: "reconcile_design", after: gateOf(configStage) },
  coding: { node: "coder", after: gateOf(analysisStage) },
  checks: { node: "check_code", after: "coder", first: true },
  execution: { node: "smoke_run", after: "finalize", first: true },
};

/** An edited artifact replaces the gate's output; everything after the gate runs again (the first stage that waits for it, else reconciliation). */
export const EDIT_POINTS: Record<string, ForkPoint> = {
  ...Object.fromEntries(
    PLANNING_STAGES.map(({ stage }) => {
      const next = PLANNING_STAGES.find((s) => s.after === stage);
      return [stage.name, next ? REWIND_POINTS[next.stage.name]! : { node: "reconcile_design", after: gateOf(stage) }];
    }),
  ),
  analysis: REWIND_POINTS.coding!,
};

/** Where a rewind to `stage` forks, for a run of this shape: without the barrier, coding starts at the file tasks. */
export function rewindPoint(stage: string, configurable?: StageShape): ForkPoint {
  if (stage === "coding" && !codersWaitForAnalyses(configurable)) return { node: "file", after: "plan_files" };
  return REWIND_POINTS[stage]!;
}

/** Where an edited artifact's fork starts: edited analyses, without the barrier, go to the file tasks (whose analysts they replace). */
export function editPoint(stage: string, configurable?: StageShape): ForkPoint {
  if (stage === "analysis" && !codersWaitForAnalyses(configurable)) return { node: "file", after: "plan_files" };
  return EDIT_POINTS[stage]!;
}
