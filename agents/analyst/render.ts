import { bullets } from "../../src/render/markdown.js";
import type { Analysis } from "./schema.js";

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
