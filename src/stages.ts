/**
 * The pipeline's stages as users name them (`--review`, `rewind --to`, `edit`),
 * and where each sits in the graph.
 */
export const PIPELINE_STAGES = ["plan", "architecture", "logic", "config", "analysis", "coding", "checks", "execution"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Stages whose artifact a person can approve or edit: each ends at a gate node `<stage>_ready`. */
export const REVIEWABLE_STAGES = ["plan", "architecture", "logic", "config", "analysis"] as const;
export type ReviewableStage = (typeof REVIEWABLE_STAGES)[number];

export const gateOf = (stage: ReviewableStage) => `${stage}_ready`;

const NODE_STAGE: Record<string, PipelineStage> = {
  planner: "plan",
  verify_plan: "plan",
  refine_plan: "plan",
  plan_ready: "plan",
  architect: "architecture",
  verify_architecture: "architecture",
  refine_architecture: "architecture",
  architecture_ready: "architecture",
  logic_designer: "logic",
  verify_logic: "logic",
  refine_logic: "logic",
  logic_ready: "logic",
  config_writer: "config",
  verify_config: "config",
  refine_config: "config",
  config_ready: "config",
  reconcile_design: "analysis",
  reconcile_logic: "analysis",
  plan_files: "analysis",
  file: "coding",
  analysis: "analysis",
  analyst: "analysis",
  verify_analysis: "analysis",
  refine_analysis: "analysis",
  analysis_ready: "analysis",
  coder: "coding",
  check_code: "checks",
  repair_code: "checks",
  finalize: "checks",
  smoke_run: "execution",
  debugger: "execution",
  execution_report: "execution",
};

export function stageOfNode(node: string): PipelineStage | undefined {
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

export const REWIND_POINTS: Record<PipelineStage, ForkPoint> = {
  plan: { node: "planner", after: "ingest" },
  architecture: { node: "architect", after: "plan_ready" },
  logic: { node: "logic_designer", after: "architecture_ready" },
  config: { node: "config_writer", after: "plan_ready" },
  analysis: { node: "reconcile_design", after: "config_ready" },
  coding: { node: "coder", after: "analysis_ready" },
  checks: { node: "check_code", after: "coder", first: true },
  execution: { node: "smoke_run", after: "finalize", first: true },
};

/** An edited artifact replaces the gate's output; everything after the gate runs again. */
export const EDIT_POINTS: Record<ReviewableStage, ForkPoint> = {
  plan: REWIND_POINTS.architecture,
  architecture: REWIND_POINTS.logic,
  logic: { ...REWIND_POINTS.analysis, after: "logic_ready" },
  config: REWIND_POINTS.analysis,
  analysis: REWIND_POINTS.coding,
};

/**
 * Whether a run's coders wait for every analysis: when a person reviews the
 * analyses, or the sequential (reference) schedule is asked for. Otherwise each
 * file goes from its analysis to its coder on its own (the `file` subgraph).
 */
export function codersWaitForAnalyses(configurable: { review?: unknown; schedule?: unknown } = {}): boolean {
  const review = typeof configurable.review === "string" ? configurable.review.split(",").map((s) => s.trim()) : [];
  return review.includes("analysis") || review.includes("all") || configurable.schedule === "sequential";
}

/** Where a rewind to `stage` forks, for a run of this shape: without the barrier, coding starts at the file tasks. */
export function rewindPoint(stage: PipelineStage, configurable?: { review?: unknown; schedule?: unknown }): ForkPoint {
  if (stage === "coding" && !codersWaitForAnalyses(configurable)) return { node: "file", after: "plan_files" };
  return REWIND_POINTS[stage];
}

/** Where an edited artifact's fork starts: edited analyses, without the barrier, go to the file tasks (whose analysts they replace). */
export function editPoint(stage: ReviewableStage, configurable?: { review?: unknown; schedule?: unknown }): ForkPoint {
  if (stage === "analysis" && !codersWaitForAnalyses(configurable)) return { node: "file", after: "plan_files" };
  return EDIT_POINTS[stage];
}

export function parseStageList<T extends string>(value: string | string[] | undefined, allowed: readonly T[], what: string): T[] {
  const names = (Array.isArray(value) ? value : (value ?? "").split(",")).map((s) => s.trim()).filter(Boolean);
  if (names.includes("all")) return [...allowed];
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) throw new Error(`${what}: unknown stage '${name}' (stages: ${allowed.join(", ")}, all)`);
  }
  return names as T[];
}
