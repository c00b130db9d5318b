import { structurePaper } from "./structure.js";
import type { PaperDraft, PaperSection } from "./types.js";

// "3 Model Architecture", "3.2.1 Attention", "ABSTRACT", "Appendix A: Proofs", "References"
const NUMBERED = /^(\d+(?:\.\d+){0,3})\.?\s+([A-Z][^.!?]{1,80})$/;
const NAMED =
  /^(abstract|introduction|related work|conclusions?|references|bibliography|acknowledge?ments|appendix(?:\s+[A-Z])?(?:[:.].*)?)$/i;

/** Plain text: short lines that look like numbered or well-known headings delimit sections. */
export function parsePlainText(source: string, path: string): PaperDraft {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const firstIndex = lines.findIndex((l) => l.trim());
  const title = firstIndex >= 0 ? lines[firstIndex]!.trim() : "";
  const sections: PaperSection[] = [];
  const preamble: string[] = [];
  let current: PaperSection | undefined;

  for (const [i, raw] of lines.entries()) {
    if (i <= firstIndex) continue;
    const line = raw.trim();
    const numbered = NUMBERED.exec(line);
    const named = NAMED.exec(line);
    if (line.length <= 90 && (numbered || named)) {
      if (current) sections.push(current);
      const level = numbered ? numbered[1]!.split(".").length : 1;
      current = { level, heading: line, text: "" };
      continue;
    }
    if (current) current.text += `${raw}\n`;
    else preamble.push(raw);
  }
  if (current) sections.push(current);

  const warnings: string[] = [];
  if (!title) warnings.push("no title found");
  if (sections.length === 0 && preamble.join("").trim()) {
    sections.push({ level: 1, heading: "Body", text: preamble.join("\n").trim() });
    warnings.push("no headings found: the whole text is one section");
  }
  return structurePaper({ title, preamble: preamble.join("\n"), sections, kind: "text", path, warnings });
}
