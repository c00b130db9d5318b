import type { Paper } from "../paper/types.js";
import { mentionStates, numbersIn, type NumberMention } from "./numbers.js";

/**
 * The ingested paper as one text with its places marked: sections and
 * appendix parts (by number, explicit or counted), tables, figures,
 * algorithms, equations and footnotes, so that a citation such as
 * "Section 5.3", "Table 3", "Eq. 4" or "Appendix B.2" can be resolved to
 * the text it points at, and a value found wherever the paper states it.
 */

export type CitationKind = "section" | "appendix" | "table" | "figure" | "equation" | "algorithm" | "abstract" | "footnote" | "name";

export interface Citation {
  kind: CitationKind;
  /** "5.3", "B.2", "3", or words of a section's name. */
  id: string;
  text: string;
}

interface Span {
  start: number;
  end: number;
}

interface SectionSpan extends Span {
  heading: string;
  number?: string;
  part: "abstract" | "main" | "appendix";
  level: number;
}

const NAMED_UNNUMBERED =
  /^(abstract|acknowledge?ments?|impact statement|broader impacts?|ethics statement|limitations|reproducibility statement|author contributions|contents of the appendix|references)\b/i;
const EXPLICIT_NUMBER = /^(?:appendix\s+)?((?:\d+|[A-Z])(?:\.\d+)*)(?:[.:]|\s)\s*\S/i;

const CITATION_PATTERNS: [CitationKind, RegExp][] = [
  ["appendix", /\b(?:Appendix|App\.|Supplementary(?: Material)?)\s*([A-Z](?:\.\d+)*)\b/g],
  ["section", /(?:\bSections?|\bSec\.?|§)\s*([A-Z]?\d+(?:\.\d+)*|[A-Z](?:\.\d+)+)/g],
  ["table", /\b(?:Tables?|Tab\.)\s*([A-Z]?\d+)/g],
  ["figure", /\b(?:Figures?|Fig\.)\s*([A-Z]?\d+)/g],
  ["equation", /\b(?:Equations?|Eqn?s?\.?)\s*\(?([A-Z]?\d+)\)?/g],
  ["algorithm", /\b(?:Algorithm|Alg\.)\s*([A-Z]?\d+)/g],
  ["footnote", /\bfootnote\s*(\d+)/gi],
  ["abstract", /\b(abstract)\b/gi],
];

/** The places a config comment cites, e.g. "Section 5.3 and Table 3" -> section 5.3, table 3. */
export function citationsIn(comment: string): Citation[] {
  const found: Citation[] = [];
  for (const [kind, pattern] of CITATION_PATTERNS) {
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(comment))) {
      const id = kind === "abstract" ? "abstract" : m[1]!;
      // "Appendix B.2" is also matched as "B.2" by nothing else; a section id with a letter is an appendix part.
      const resolved: CitationKind = kind === "section" && /^[A-Z]/.test(id) ? "appendix" : kind;
      if (!found.some((c) => c.kind === resolved && c.id === id)) found.push({ kind: resolved, id, text: m[0] });
    }
  }
  return found;
}

export class PaperIndex {
  readonly text: string;
  private readonly sections: SectionSpan[] = [];
  private readonly captions: { kind: "table" | "figure" | "algorithm"; id: string; index: number }[] = [];
  private readonly numbers: NumberMention[];

  constructor(readonly paper: Pick<Paper, "title" | "abstract" | "sections" | "appendix" | "captions">) {
    const parts: string[] = [];
    let length = 0;
    const add = (text: string) => {
      parts.push(text);
      length += text.length + 2;
    };
    if (paper.abstract) {
      const start = length;
      add(`Abstract\n${paper.abstract}`);
      this.sections.push({ heading: "Abstract", part: "abstract", level: 1, start, end: length });
    }
    const counters: number[] = [];
    for (const [part, list] of [
      ["main", paper.sections],
      ["appendix", paper.appendix],
    ] as const) {
      counters.length = 0;
      for (const section of list) {
        let number = EXPLICIT_NUMBER.exec(section.heading)?.[1];
        if (!number && !NAMED_UNNUMBERED.test(section.heading)) {
          // LaTeX headings carry no numbers: count them as LaTeX does (sections 1, 1.1; appendix parts A, A.1).
          const level = Math.max(1, section.level);
          counters.length = level;
          for (let i = 0; i < level - 1; i++) counters[i] ??= 1;
          counters[level - 1] = (counters[level - 1] ?? 0) + 1;
          const head = part === "appendix" ? String.fromCharCode(64 + counters[0]!) : String(counters[0]);
          number = [head, ...counters.slice(1)].join(".");
        }
        const start = length;
        add(`${section.heading}\n${section.text}`);
        this.sections.push({ heading: section.heading, number, part, level: section.level, start, end: length });
      }
    }
    // Captions not in the text (LaTeX keeps them there; PaperCoder JSON may not).
    const missing = paper.captions.filter((c) => !parts.some((p) => p.includes(c.slice(0, 60))));
    if (missing.length) add(missing.join("\n"));
    this.text = parts.join("\n\n");
    const caption = /\b(Table|Figure|Fig\.|Algorithm)\s*([A-Z]?\d+)\s*(?:[:.|]|\(rows)/g;
    let m: RegExpExecArray | null;
    while ((m = caption.exec(this.text))) {
      const kind = m[1] === "Table" ? "table" : m[1] === "Algorithm" ? "algorithm" : "figure";
      this.captions.push({ kind, id: m[2]!, index: m.index });
    }
    this.numbers = numbersIn(this.text);
  }

  /** The spans a citation points at; none when the paper has no such place. */
  resolve(citation: Citation): Span[] {
    switch (citation.kind) {
      case "abstract":
        return this.sections.filter((s) => s.part === "abstract");
      case "section":
      case "appendix": {
        const id = citation.id.toUpperCase();
        const pool =
          citation.kind === "appendix"
            ? this.sections.filter((s) => s.part === "appendix")
            : this.sections.filter((s) => s.part !== "abstract");
        return pool.filter((s) => s.number?.toUpperCase() === id).map((s) => ({ start: s.start, end: this.subtreeEnd(s) }));
      }
      case "table":
      case "figure":
      case "algorithm":
        return this.captions.filter((c) => c.kind === citation.kind && c.id === citation.id).map((c) => this.floatAround(c.index));
      case "equation": {
        const spans: Span[] = [];
        const number = new RegExp(`(?:\\(${citation.id}\\)|\\\\tag\\{${citation.id}\\})`, "g");
        let m: RegExpExecArray | null;
        while ((m = number.exec(this.text))) spans.push({ start: Math.max(0, m.index - 500), end: m.index + 60 });
        return spans;
      }
      case "footnote": {
        const at = this.text.indexOf(`[Footnote ${citation.id}]`);
        return at < 0 ? [] : [{ start: at, end: this.text.indexOf("\n", at) < 0 ? this.text.length : this.text.indexOf("\n", at) }];
      }
      case "name": {
        const words = citation.id
          .toLowerCase()
          .split(/\W+/)
          .filter((w) => w.length >= 4);
        if (words.length === 0) return [];
        return this.sections
          .filter((s) => words.every((w) => s.heading.toLowerCase().includes(w)))
          .map((s) => ({ start: s.start, end: this.subtreeEnd(s) }));
      }
    }
  }

  /**
   * A float's text: its caption's paragraph, and the paragraphs around it that
   * read as a table (Markdown or HTML rows, a tabular, a rebuilt table's label, or
   * mostly numbers): before it (a caption set under its table) and after it.
   */
  private floatAround(index: number): Span {
    const section = [...this.sections].reverse().find((s) => s.start <= index && index < s.end);
    const lower = section?.start ?? 0;
    const upper = section?.end ?? this.text.length;
    const paragraphStart = (at: number) => Math.max(lower, this.text.lastIndexOf("\n\n", at) + 2);
    const paragraphEnd = (at: number) => {
      const end = this.text.indexOf("\n\n", at);
      return end < 0 || end > upper ? upper : end;
    };
    const tabular = (from: number, to: number) => {
      const text = this.text.slice(from, to);
      if (/^\s*\||<table|\\begin\{tabular|rebuilt from the PDF layout|^```text/m.test(text)) return true;
      const words = text.split(/\s+/).filter(Boolean).length;
      return words > 0 && numbersIn(text).length / words >= 0.4;
    };
    let start = paragraphStart(index);
    let end = paragraphEnd(index);
    if (start - 2 > lower) {
      const before = paragraphStart(start - 3);
      if (tabular(before, start)) start = before;
    }
    for (let k = 0; k < 3 && end < upper; k++) {
      const next = paragraphEnd(end + 2);
      if (!tabular(end, next)) break;
      end = next;
    }
    return { start, end };
  }

  private subtreeEnd(section: SectionSpan): number {
    const i = this.sections.indexOf(section);
    const next = this.sections.slice(i + 1).find((s) => s.part !== section.part || s.level <= section.level);
    return next ? next.start : this.text.length;
  }

  /** Where in the text a value is stated: numbers by value (10% = 0.1), words as words. */
  occurrences(value: unknown): number[] {
    if (typeof value === "number") return this.numbers.filter((m) => mentionStates(m, value)).map((m) => m.index);
    if (typeof value === "string") {
      const words = value.split(/[\s_\-/.]+|(?<=[a-z])(?=[A-Z])/).filter(Boolean);
      if (words.join("").length < 3) return [];
      const pattern = new RegExp(
        `(?<![A-Za-z0-9])${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s_\\-/.]*")}(?![A-Za-z0-9])`,
        "gi",
      );
      return [...this.text.matchAll(pattern)].map((m) => m.index!);
    }
    return [];
  }

  /** A reader's name for the place at an index: "Table 3 (Section 6.2)", "Appendix B.2", "Section 5.3". */
  placeAt(index: number): string {
    const section = [...this.sections].reverse().find((s) => s.start <= index && index < s.end);
    const where = !section
      ? "the paper"
      : section.part === "abstract"
        ? "the abstract"
        : `${section.part === "appendix" ? "Appendix" : "Section"} ${section.number ?? `"${section.heading}"`}`;
    const caption = this.captions.find((c) => {
      if (c.kind !== "table") return false;
      const span = this.floatAround(c.index);
      return index >= span.start && index < span.end;
    });
    return caption ? `Table ${caption.id} (${where})` : where;
  }

  within(indexes: number[], spans: Span[]): number[] {
    return indexes.filter((i) => spans.some((s) => i >= s.start && i < s.end));
  }
}
