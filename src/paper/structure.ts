import type { PaperDraft, PaperKind, PaperSection } from "./types.js";

/**
 * Shared post-processing for every loader: splits a flat list of sections into
 * abstract, body, references and appendix, and collects figure/table captions.
 */
const REFERENCES_HEADING = /^(?:\d+\.?\s*)?(references|bibliography|literature cited)$/i;
const ABSTRACT_HEADING = /^(?:\d+\.?\s*)?abstract$/i;
const APPENDIX_HEADING =
  /^(?:(?:technical\s+|online\s+)?appendix|appendices|supplementary materials?|supplemental materials?|supplementary information)\b/i;
/** A heading numbered as an appendix part: "A", "B.2", "I.2.1", "Appendix C"; only after the references ("A Study of X" is a title elsewhere). */
const LETTERED = /^(?:appendix\s+)?([A-Z](?:\.\d{1,2}){0,3})(?:[.:]|\s)\s*\S/;
const NUMBERED = /^(\d{1,2}(?:\.\d{1,2}){0,3})(?:\.|\s)\s*\S/;
/** Unnumbered headings that are top-level parts of any paper. */
const TOP_LEVEL_NAMED =
  /^(abstract|references|bibliography|literature cited|acknowledge?ments?|impact statement|broader impacts?( statement)?|ethics statement|limitations|reproducibility statement|author contributions|contents of the appendix|appendix|appendices|supplementary materials?|(neurips )?(paper )?checklist)\b/i;
/** Forms that come with a submission rather than its content. */
const BOILERPLATE_HEADING =
  /^(?:\d+\.?\s*)?(?:(?:neurips|icml|iclr|acl|emnlp|aaai|naacl)\s+)?(?:paper\s+|reproducibility\s+|responsible nlp(?:\s+research)?\s+)?checklist\b/i;
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

/**
 * Heading levels from section numbers, for conversions (MinerU and the like) that
 * give every heading the same `#`: "4.1.1" is level 3, "B.2" after the
 * references level 2; named parts (Abstract, References) are level 1 and other
 * unnumbered headings ("Algorithm 1 Training") sit under the last numbered one.
 * Returns the sections unchanged when their levels already differ or nothing is numbered.
 */
export function levelsFromNumbering(sections: PaperSection[]): PaperSection[] {
  if (new Set(sections.map((s) => s.level)).size !== 1 || sections.length < 3) return sections;
  const numberOf = (heading: string, afterReferences: boolean) =>
    NUMBERED.exec(heading)?.[1] ?? (afterReferences || /^(appendix\s+)?[A-Z]\.\d/i.test(heading) ? LETTERED.exec(heading)?.[1] : undefined);
  let afterReferences = false;
  if (!sections.some((s) => numberOf(s.heading, true)?.includes("."))) return sections;
  let current = 0;
  return sections.map((section) => {
    const heading = normalizeHeading(section.heading);
    if (REFERENCES_HEADING.test(heading)) afterReferences = true;
    const number = numberOf(heading, afterReferences);
    let level: number;
    if (number) level = current = number.split(".").length;
    else if (TOP_LEVEL_NAMED.test(heading) || REFERENCES_HEADING.test(heading)) level = current = 1;
    else level = current + 1;
    return { ...section, level: Math.max(1, level) };
  });
}

/**
 * Set apart what is not the paper's content: a checklist heading and the sections
 * after it (its numbered questions), until an appendix part or the references resume.
 */
export function separateBoilerplate(sections: PaperSection[]): { content: PaperSection[]; boilerplate: PaperSection[] } {
  const content: PaperSection[] = [];
  const boilerplate: PaperSection[] = [];
  let inForm = false;
  for (const section of sections) {
    const heading = normalizeHeading(section.heading);
    if (BOILERPLATE_HEADING.test(heading)) inForm = true;
    else if (inForm && (LETTERED.test(heading) || APPENDIX_HEADING.test(heading) || REFERENCES_HEADING.test(heading))) inForm = false;
    (inForm ? boilerplate : content).push(section);
  }
  return { content, boilerplate };
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
