import type { PaperDraft, PaperKind, PaperSection } from "./types.js";

/**
 * Shared post-processing for every loader: splits a flat list of sections into
 * abstract, body, references and appendix, and collects figure/table captions.
 */
const REFERENCES_HEADING = /^(?:\d+\.?\s*)?(references|bibliography|literature cited)$/i;
const ABSTRACT_HEADING = /^(?:\d+\.?\s*)?abstract$/i;
const APPENDIX_HEADING = /^(?:appendix|appendices|supplementary material)\b/i;
const CAPTION_LINE = /^\s*(?:\*\*)?((?:Figure|Fig\.|Table|Algorithm)\s*[A-Z]?\d+[.:]?)(?:\*\*)?\s*[:.]?\s+\S.*$/;

export function normalizeHeading(heading: string): string {
  return heading.replace(/\s+/g, " ").trim();
}

export function splitReferences(text: string): string[] {
  const lines = text.split(/\n/).map((l) => l.trim());
  const entries: string[] = [];
  let current = "";
  const startsEntry = (l: string) => /^(\[\d+\]|\d+\.\s|[-*]\s)/.test(l);
  for (const line of lines) {
    if (!line) {
      if (current) entries.push(current);
      current = "";
    } else if (startsEntry(line) && current) {
      entries.push(current);
      current = line;
    } else {
      current = current ? `${current} ${line}` : line;
    }
  }
  if (current) entries.push(current);
  return entries.map((e) => e.replace(/^[-*]\s+/, "")).filter((e) => e.length > 0);
}

export function collectCaptions(sections: PaperSection[]): string[] {
  const captions: string[] = [];
  for (const section of sections) {
    for (const line of section.text.split("\n")) {
      if (CAPTION_LINE.test(line)) captions.push(line.trim().replace(/\*\*/g, ""));
    }
  }
  return captions;
}

/** Arrange raw sections (in document order) into the paper's parts. */
export function structurePaper(input: {
  title: string;
  preamble: string;
  sections: PaperSection[];
  kind: PaperKind;
  path: string;
  warnings?: string[];
  abstract?: string;
}): PaperDraft {
  let abstract = input.abstract ?? "";
  const body: PaperSection[] = [];
  const appendix: PaperSection[] = [];
  const references: string[] = [];
  let inAppendix = false;
  let appendixLevel = 0;
  let afterReferences = false;

  for (const raw of input.sections) {
    const section = { ...raw, heading: normalizeHeading(raw.heading), text: raw.text.trim() };
    if (!abstract && ABSTRACT_HEADING.test(section.heading)) {
      abstract = section.text;
      continue;
    }
    if (REFERENCES_HEADING.test(section.heading)) {
      references.push(...splitReferences(section.text));
      afterReferences = true;
      continue;
    }
    if (APPENDIX_HEADING.test(section.heading) && !inAppendix) {
      inAppendix = true;
      appendixLevel = section.level;
    } else if (inAppendix && section.level < appendixLevel && !afterReferences) {
      inAppendix = false;
    }
    if (inAppendix || afterReferences) appendix.push(section);
    else body.push(section);
  }

  if (!abstract) {
    const match = /(?:^|\n)\s*(?:\*\*)?abstract(?:\*\*)?[.:\s—-]*\s*([\s\S]+?)(?:\n\s*\n|$)/i.exec(input.preamble);
    if (match?.[1]) abstract = match[1].trim();
  }

  return {
    title: input.title.trim(),
    abstract: abstract.trim(),
    sections: body,
    captions: collectCaptions([...body, ...appendix]),
    references,
    appendix,
    warnings: [...(input.warnings ?? [])],
    source: { kind: input.kind, path: input.path },
  };
}
