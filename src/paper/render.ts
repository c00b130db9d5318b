import type { Paper, PaperSection } from "./types.js";

/** The clean Markdown every agent receives. */
export function renderPaperMarkdown(paper: Paper, options: { includeAppendix?: boolean } = {}): string {
  const parts: string[] = [`# ${paper.title || "Untitled paper"}`];
  if (paper.abstract) parts.push(`## Abstract\n\n${paper.abstract}`);
  for (const s of paper.sections) parts.push(renderSection(s));
  if (options.includeAppendix && paper.appendix.length > 0) {
    for (const s of paper.appendix) parts.push(renderSection(s));
  }
  return `${parts.join("\n\n").trim()}\n`;
}

function renderSection(s: PaperSection): string {
  const level = Math.min(6, Math.max(2, s.level + 1));
  return `${"#".repeat(level)} ${s.heading}\n\n${s.text}`.trim();
}
