import { bullets } from "../../src/render/markdown.js";
import type { Architecture } from "./schema.js";

export function renderArchitecture(a: Architecture): string {
  return [
    "# Architecture",
    `## Implementation approach\n\n${a.implementationApproach}`,
    `## Files\n\n${bullets(a.files.map((f) => `\`${f.path}\`: ${f.purpose}`))}`,
    `## Class diagram\n\n\`\`\`mermaid\n${a.classDiagram}\n\`\`\``,
    `## Sequence diagram\n\n\`\`\`mermaid\n${a.sequenceDiagram}\n\`\`\``,
  ].join("\n\n");
}
