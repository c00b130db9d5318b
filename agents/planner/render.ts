import { bullets } from "../../src/render/markdown.js";
import type { Plan } from "./schema.js";

/** The plan in Markdown: written to artifacts/plan.md and read by later agents. */
export function renderPlan(plan: Plan): string {
  return [
    "# Reproduction plan",
    `## Summary\n\n${plan.summary}`,
    `## Components\n\n${bullets(plan.components.map((c) => `**${c.name}**: ${c.description}`))}`,
    `## Objectives\n\n${bullets(plan.objectives)}`,
    `## Data processing\n\n${plan.dataProcessing}`,
    `## Evaluation\n\n${plan.evaluation}`,
    `## Hyperparameters\n\n| name | value | source in the paper |\n| --- | --- | --- |\n${plan.hyperparameters
      .map((h) => `| ${h.name} | ${String(h.value)} | ${h.source} |`)
      .join("\n")}`,
    `## Unclear in the paper\n\n${bullets(plan.unclear)}`,
  ].join("\n\n");
}
