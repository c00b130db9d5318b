/*
 * What decides a run's shape, read before any work (the CLI at start, the
 * graph's wiring): kept free of heavy imports.
 */

/** Repair rounds after the static checks of the generated code, unless `repairCode` says otherwise. */
export const REPAIR_CODE_DEFAULT = 2;

export function parseStageList<T extends string>(value: string | string[] | undefined, allowed: readonly T[], what: string): T[] {
  const names = (Array.isArray(value) ? value : (value ?? "").split(",")).map((s) => s.trim()).filter(Boolean);
  if (names.includes("all")) return [...allowed];
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name))
      throw new Error(`${what}: unknown stage '${name}' (stages: ${allowed.join(", ")}, all)`);
  }
  return names as T[];
}

/** What decides a run's shape: whether a person reviews analyses, and the schedule. */
export type StageShape = { review?: unknown; schedule?: unknown };

/**
 * Whether a run's coders wait for every analysis: when a person reviews the
 * analyses, or the sequential (reference) schedule is asked for. Otherwise each
 * file goes from its analysis to its coder on its own (the `file` subgraph).
 */
export function codersWaitForAnalyses(configurable: StageShape = {}): boolean {
  const review = typeof configurable.review === "string" ? configurable.review.split(",").map((s) => s.trim()) : [];
  return review.includes("analysis") || review.includes("all") || configurable.schedule === "sequential";
}
