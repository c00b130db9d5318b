import { levelsFromNumbering, structurePaper } from "./structure.js";
import type { PaperDraft, PaperSection } from "./types.js";

const ATX_HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Markdown: ATX headings delimit sections; headings inside code fences are text. */
export function parseMarkdown(source: string, path: string): PaperDraft {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const sections: PaperSection[] = [];
  const preamble: string[] = [];
  let current: { level: number; heading: string; lines: string[] } | undefined;
  let title = "";
  let inFence = false;

  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : ATX_HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const text = heading[2]!.replace(/\*\*/g, "").trim();
      if (!title && level === 1 && sections.length === 0 && !current) {
        title = text;
        continue;
      }
      if (current) sections.push(toSection(current));
      current = { level, heading: text, lines: [] };
      continue;
    }
    if (current) current.lines.push(line);
    else preamble.push(line);
  }
  if (current) sections.push(toSection(current));

  const warnings: string[] = [];
  if (!title) {
    title = preamble.find((l) => l.trim())?.trim() ?? sections[0]?.heading ?? "";
    if (!title) warnings.push("no title found");
  }
  if (sections.length === 0 && preamble.join("").trim()) {
    sections.push({ level: 1, heading: "Body", text: preamble.join("\n").trim() });
    warnings.push("no headings found: the whole text is one section");
  }
  return structurePaper({
    title,
    preamble: preamble.join("\n"),
    sections: levelsFromNumbering(sections),
    kind: "markdown",
    path,
    warnings,
  });
}

function toSection(s: { level: number; heading: string; lines: string[] }): PaperSection {
  return { level: s.level, heading: s.heading, text: s.lines.join("\n").trim() };
}
