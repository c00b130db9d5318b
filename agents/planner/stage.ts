import type { ReviewIssue } from "../../src/review/types.js";
import { issue } from "../../src/review/types.js";
import { jsonPlanningStage } from "../stage.js";
import { renderPlan } from "./render.js";
import { PlanSchema, type Plan } from "./schema.js";

export { PlanSchema, type Plan } from "./schema.js";
export { renderPlan } from "./render.js";

export function checkPlan(plan: Plan): ReviewIssue[] {
  return plan.hyperparameters.length === 0
    ? [issue("medium", "hyperparameters", "the plan lists no hyperparameters", "list every setting the paper states, with its source")]
    : [];
}

/** Planner: reads the paper and writes the overall reproduction plan. */
export const planStage = jsonPlanningStage("plan", {
  node: "planner",
  label: "the reproduction plan",
  refine: { setting: "refinePlan", default: 1 },
  reads: [],
  context: { title: "The team's reproduction plan", rank: 0 },
  json: { schema: PlanSchema, name: "plan", lists: { components: "name", hyperparameters: "name" } },
  render: renderPlan,
  checks: (_, v) => checkPlan(v),
});
