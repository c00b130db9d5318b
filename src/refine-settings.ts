/** Verify/refine stages and their default rounds (kept free of heavy imports: the CLI reads it at start). */
export const REFINE_STAGES = ["plan", "architecture", "logic", "config", "analysis", "code"] as const;
export type RefineStage = (typeof REFINE_STAGES)[number];
export const REFINE_DEFAULTS: Record<RefineStage, number> = { plan: 1, architecture: 1, logic: 1, config: 1, analysis: 0, code: 2 };
