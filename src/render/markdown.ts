import type { PlannedFile } from "../state.js";
import { countTokens } from "../tokens.js";

/** A Markdown bullet list, or "- (none)". */
export const bullets = (items: string[]) => (items.length ? items.map((i) => `- ${i}`).join("\n") : "- (none)");

export function renderFileTable(files: PlannedFile[]): string {
  return files.map((f) => `- \`${f.path}\`: ${f.purpose}${f.dependsOn.length ? ` (imports ${f.dependsOn.join(", ")})` : ""}`).join("\n");
}

/** A file's text as a Markdown code block under its heading. */
export const fileBlock = (heading: string, text: string, language = "") => `### ${heading}\n\`\`\`${language}\n${text}\`\`\``;

/** Blocks in order while they fit `budget` tokens, one that does not fit passed over for those after it; the first always. */
export function withinBudget(blocks: string[], budget: number): string[] {
  const kept: string[] = [];
  let tokens = 0;
  for (const block of blocks) {
    const cost = countTokens(block);
    if (tokens + cost > budget && kept.length > 0) continue;
    kept.push(block);
    tokens += cost;
  }
  return kept;
}
