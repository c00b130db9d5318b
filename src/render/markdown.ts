import type { PlannedFile } from "../state.js";

/** A Markdown bullet list, or "- (none)". */
export const bullets = (items: string[]) => (items.length ? items.map((i) => `- ${i}`).join("\n") : "- (none)");

export function renderFileTable(files: PlannedFile[]): string {
  return files.map((f) => `- \`${f.path}\`: ${f.purpose}${f.dependsOn.length ? ` (imports ${f.dependsOn.join(", ")})` : ""}`).join("\n");
}
