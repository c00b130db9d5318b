import type { Analysis } from "../../agents/analyst.js";
import type { Architecture } from "../../agents/architect.js";
import type { LogicDesign } from "../../agents/logic-designer.js";
import type { Plan } from "../../agents/planner.js";
import type { PlannedFile } from "../state.js";

/** Markdown renderings of the agents' artifacts: written to artifacts/ and fed to later agents. */
const bullets = (items: string[]) => (items.length ? items.map((i) => `- ${i}`).join("\n") : "- (none)");

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

export function renderArchitecture(a: Architecture): string {
  return [
    "# Architecture",
    `## Implementation approach\n\n${a.implementationApproach}`,
    `## Files\n\n${bullets(a.files.map((f) => `\`${f.path}\`: ${f.purpose}`))}`,
    `## Class diagram\n\n\`\`\`mermaid\n${a.classDiagram}\n\`\`\``,
    `## Sequence diagram\n\n\`\`\`mermaid\n${a.sequenceDiagram}\n\`\`\``,
  ].join("\n\n");
}

export function renderLogic(l: LogicDesign): string {
  return [
    "# Logic design",
    `## Implementation order\n\n${l.implementationOrder.map((p, i) => `${i + 1}. \`${p}\``).join("\n")}`,
    `## Entry point\n\n\`${l.entrypoint}\`: \`${l.runCommand}\``,
    `## Required packages\n\n${bullets(l.requiredPackages)}`,
    `## Shared conventions\n\n${l.sharedConventions}`,
    ...l.files.map((f) => `## \`${f.path}\`\n\nDepends on: ${f.dependsOn.join(", ") || "nothing"}\n\n${f.logic}`),
  ].join("\n\n");
}

export function renderFileTable(files: PlannedFile[]): string {
  return files.map((f) => `- \`${f.path}\`: ${f.purpose}${f.dependsOn.length ? ` (imports ${f.dependsOn.join(", ")})` : ""}`).join("\n");
}

export function renderAnalysis(path: string, a: Analysis): string {
  return [
    `# Analysis of \`${path}\``,
    `## Purpose\n\n${a.purpose}`,
    `## Inputs\n\n${bullets(a.inputs)}`,
    `## Outputs\n\n${bullets(a.outputs)}`,
    `## Interfaces\n\n${bullets(a.interfaces.map((i) => `\`${i.signature || i.name}\`: ${i.description}`))}`,
    `## Uses from other files\n\n${bullets(a.usesFromOtherFiles)}`,
    `## Algorithm\n\n${a.algorithm.map((s, i) => `${i + 1}. ${s}`).join("\n") || "(none)"}`,
    `## Constraints from the paper\n\n${bullets(a.paperConstraints)}`,
    `## Config keys read\n\n${bullets(a.configKeys.map((k) => `\`${k}\``))}`,
    `## Unclear\n\n${bullets(a.unclear)}`,
  ].join("\n\n");
}
