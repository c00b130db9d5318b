import { bullets } from "../../src/render/markdown.js";
import type { LogicDesign } from "./schema.js";

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
