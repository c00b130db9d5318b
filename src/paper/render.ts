import type { Paper, PaperSection } from "./types.js";

/** Where the appendix starts in what the agents read; the prompts refer to it by this heading. */
export const APPENDIX_MARKER = "# Appendix (supplementary material)";
const APPENDIX_NOTE =
  "The sections below are the paper's appendix, after its main text and references. The main text often points here for settings, prompts, architectures and protocols; cite them as Appendix <section>.";

/** The clean Markdown every agent receives: main text, then (unless left out) the appendix under its own marker. */
export function renderPaperMarkdown(
  paper: Pick<Paper, "title" | "abstract" | "sections" | "appendix">,
  options: { includeAppendix?: boolean } = {},
): string {
  const parts: string[] = [`# ${paper.title || "Untitled paper"}`];
  if (paper.abstract) parts.push(`## Abstract\n\n${paper.abstract}`);
  for (const s of paper.sections) parts.push(renderSection(s));
  if ((options.includeAppendix ?? true) && paper.appendix.length > 0) {
    parts.push(`${APPENDIX_MARKER}\n\n${APPENDIX_NOTE}`);
    for (const s of paper.appendix) parts.push(renderSection(s));
  }
  return `${parts.join("\n\n").trim()}\n`;
}

export function renderSection(s: PaperSection): string {
  const level = Math.min(6, Math.max(2, s.level + 1));
  return `${"#".repeat(level)} ${s.heading}\n\n${s.text}`.trim();
}
