import { structurePaper } from "../structure.js";
import type { PaperDraft, PaperSection } from "../types.js";
import { attachScripts, composeAccents } from "./glyphs.js";
import { extractTables } from "./tables.js";
import type { PdfItem, PdfPage, RawPdf } from "./types.js";

/**
 * From positioned text to a structured paper: lines rebuilt from items,
 * two-column reading order, running headers and page numbers removed,
 * de-hyphenation, headings from the outline (or font size and weight),
 * references and appendix split off by the shared structurer.
 */

export interface Line {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  bold: boolean;
  page: number;
  /** Which column of a two-column page the line sits in (0 left or full width, 1 right). */
  column: number;
  /** A table rebuilt from the layout: its text is a block of its own. */
  table?: boolean;
  /** A footnote or a page's foot matter: kept out of the paragraphs, put after its section's text. */
  footnote?: boolean;
}

const LIGATURES: Record<string, string> = { ﬀ: "ff", ﬁ: "fi", ﬂ: "fl", ﬃ: "ffi", ﬄ: "ffl", ﬅ: "st", ﬆ: "st" };

export function cleanText(text: string): string {
  return composeAccents(
    text
      .replace(/[ﬀﬁﬂﬃﬄﬅﬆ]/g, (c) => LIGATURES[c] ?? c)
      .replace(/\u00ad/g, "")
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/g, "")
      .replace(/[ \t\u00a0]+/g, " "),
  );
}

/** Group a page's items into line fragments: same baseline, no wide horizontal gap. */
export function buildLines(page: PdfPage, pageIndex: number): Line[] {
  const items = [...page.items].sort((a, b) => b.y - a.y || a.x - b.x);
  const mid = page.width / 2;
  const rows: PdfItem[][] = [];
  for (const item of items) {
    const row = rows.at(-1);
    const tolerance = Math.max(2, 0.45 * Math.max(item.size, row?.[0]?.size ?? 0));
    if (row && Math.abs(row[0]!.y - item.y) <= tolerance) row.push(item);
    else rows.push([item]);
  }
  const lines: Line[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let current: PdfItem[] = [];
    const flush = () => {
      if (current.length) lines.push(toLine(current, pageIndex));
      current = [];
    };
    for (const item of row) {
      const prev = current.at(-1);
      const gap = prev ? item.x - (prev.x + prev.width) : 0;
      const size = Math.max(prev?.size ?? 0, item.size);
      // A column gutter: a wide gap anywhere, or a smaller one that crosses the middle of the page.
      const crossesMiddle = prev !== undefined && prev.x + prev.width <= mid + 2 && item.x >= mid - 2;
      if (prev && (gap > Math.max(12, 1.5 * size) || (crossesMiddle && gap > 0.8 * size))) flush();
      current.push(item);
    }
    flush();
  }
  return lines;
}

function toLine(items: PdfItem[], page: number): Line {
  let text = "";
  let prev: PdfItem | undefined;
  const main = items.reduce((a, b) => (b.text.length * b.size > a.text.length * a.size ? b : a));
  for (const item of items) {
    const gap = prev ? item.x - (prev.x + prev.width) : 0;
    if (prev && gap > 0.15 * Math.max(item.size, 1) && !text.endsWith(" ") && !item.text.startsWith(" ")) text += " ";
    text += item.text;
    prev = item;
  }
  const last = items.at(-1)!;
  return {
    text: cleanText(text).trim(),
    x: items[0]!.x,
    right: last.x + last.width,
    y: main.y,
    size: main.size,
    bold: items.filter((i) => i.bold).reduce((n, i) => n + i.text.length, 0) > 0.6 * items.reduce((n, i) => n + i.text.length, 0),
    page,
    column: 0,
  };
}

/**
 * Reading order of one page. On a two-column page, bands between full-width
 * lines are read left column first, then right column.
 */
const sideOf = (l: Pick<Line, "x" | "right">, width: number) => {
  const mid = width / 2;
  const slack = width * 0.02;
  return l.right <= mid + slack ? "left" : l.x >= mid - slack ? "right" : "full";
};

/** A page set in two columns: at least five line fragments on each side of the middle. */
export function isTwoColumn(lines: Line[], width: number): boolean {
  return lines.filter((l) => sideOf(l, width) === "left").length >= 5 && lines.filter((l) => sideOf(l, width) === "right").length >= 5;
}

export function orderPage(lines: Line[], width: number): Line[] {
  const side = (l: Line) => sideOf(l, width);
  const byY = [...lines].sort((a, b) => b.y - a.y || a.x - b.x);
  if (!isTwoColumn(lines, width)) return byY;
  const ordered: Line[] = [];
  let band: Line[] = [];
  const flushBand = () => {
    ordered.push(...band.filter((l) => side(l) === "left"));
    ordered.push(...band.filter((l) => side(l) === "right").map((l) => ({ ...l, column: 1 })));
    band = [];
  };
  for (const line of byY) {
    if (side(line) === "full") {
      flushBand();
      ordered.push(line);
    } else band.push(line);
  }
  flushBand();
  return ordered;
}

const normalizeForRepeat = (text: string) => text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
const PAGE_NUMBER = /^(page\s+)?(\d{1,4}|[ivxlc]{1,6})(\s*(of|\/)\s*\d+)?$/i;

/** Drop running headers/footers (repeated near the page edge) and page numbers. */
export function removeRunningLines(pages: Line[][], heights: number[]): { pages: Line[][]; removed: number } {
  const edge = (line: Line) => {
    const h = heights[line.page] ?? 792;
    return line.y > h * 0.92 || line.y < h * 0.08;
  };
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const seen = new Set<string>();
    for (const line of lines) if (edge(line)) seen.add(normalizeForRepeat(line.text));
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(3, Math.ceil(pages.length * 0.3));
  let removed = 0;
  const kept = pages.map((lines) =>
    lines.filter((line) => {
      const drop = edge(line) && (PAGE_NUMBER.test(line.text) || (counts.get(normalizeForRepeat(line.text)) ?? 0) >= threshold);
      if (drop) removed++;
      return !drop;
    }),
  );
  return { pages: kept, removed };
}

/** The most common font size, weighted by characters: the body text size. */
export function bodySize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) {
    const s = Math.round(l.size * 2) / 2;
    weight.set(s, (weight.get(s) ?? 0) + l.text.length);
  }
  let best = 10;
  let max = -1;
  for (const [size, w] of weight) {
    if (w > max) {
      max = w;
      best = size;
    }
  }
  return best;
}

export const headingKey = (text: string) =>
  text
    .toLowerCase()
    .replace(/^(appendix\s+)?([a-z]|\d+)(\.\d+)*\.?\s+(?=\S)/, "")
    .replace(/[^a-z0-9]+/g, "");

const NUMBERED_HEADING = /^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-Z][^]{0,100})$/;
const LETTERED_HEADING = /^([A-H](?:\.\d{1,2}){0,3})\.?\s+([A-Z][^]{0,100})$/;
const NAMED_HEADING =
  /^(abstract|references|bibliography|acknowledge?ments?|introduction|related work|conclusions?( and future work)?|discussion|appendix(\s+[A-Z])?([:.].*)?|appendices|supplementary material)$/i;

interface HeadingMark {
  index: number;
  /** How many lines the heading spans (wrapped titles). */
  span: number;
  level: number;
  heading: string;
}

const exactKey = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "");

/**
 * Headings located from the outline: each outline title matched, in order, to
 * a line (or two joined lines). A match with the section number ("3.2.1
 * Scaled ...") wins over one without, which may be a figure label.
 */
/**
 * Outline titles sometimes carry a footnote's text ("ExperimentsFurther details are ...").
 * Accept a short numbered line whose key (less a footnote mark) starts the title's key.
 */
function findPrefix(lines: Line[], from: number, key: string): { index: number; span: number } | undefined {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text.length > 60 || !/^(\d+(\.\d+)*|[A-H](\.\d+)*)\.?\s+[A-Z]/.test(line.text)) continue;
    const lineKey = headingKey(line.text).replace(/\d+$/, "");
    if (lineKey.length >= 4 && key.startsWith(lineKey)) return { index: i, span: 1 };
  }
  return undefined;
}

function headingsFromOutline(lines: Line[], outline: RawPdf["outline"]): HeadingMark[] {
  const marks: HeadingMark[] = [];
  let from = 0;
  const find = (key: string, keyOf: (t: string) => string): { index: number; span: number } | undefined => {
    for (let i = from; i < lines.length; i++) {
      if (keyOf(lines[i]!.text) === key) return { index: i, span: 1 };
      if (i + 1 < lines.length && keyOf(`${lines[i]!.text} ${lines[i + 1]!.text}`) === key) return { index: i, span: 2 };
    }
    return undefined;
  };
  for (const entry of outline) {
    const key = headingKey(entry.title);
    if (!key) continue;
    const exact = exactKey(entry.title);
    const found = (exact !== key ? find(exact, exactKey) : undefined) ?? find(key, headingKey) ?? findPrefix(lines, from, key);
    if (!found) continue;
    const text = lines
      .slice(found.index, found.index + found.span)
      .map((l) => l.text)
      .join(" ");
    marks.push({ index: found.index, span: found.span, level: entry.level, heading: text });
    from = found.index + found.span;
  }
  return marks;
}

/** "References" on a line of its own is the heading, whatever its font (small capitals come out as "R EFERENCES"). */
const REFERENCES_LINE = /^(r\s?eferences|b\s?ibliography|l\s?iterature\s+c\s?ited|w\s?orks\s+c\s?ited)$/i;

/**
 * Headings found from typography: numbered or well-known titles set larger or bold
 * than the body text. `referencesAt` is where a references list was found by its form
 * (no heading names it): a references mark is placed there.
 */
function headingsFromFonts(lines: Line[], body: number, referencesAt?: number): HeadingMark[] {
  const marks: HeadingMark[] = [];
  let afterReferences = false;
  for (const [index, line] of lines.entries()) {
    const text = line.text;
    if (index === referencesAt) {
      marks.push({ index, span: 0, level: 1, heading: "References" });
      afterReferences = true;
    }
    if (line.table || line.footnote) continue;
    if (REFERENCES_LINE.test(text) && !afterReferences) {
      marks.push({ index, span: 1, level: 1, heading: "References" });
      afterReferences = true;
      continue;
    }
    // "A Study of Things" is a title, "A Proofs" after the references an appendix heading; "A.1 Setup" or "B. Details" is one anywhere.
    const lettered = LETTERED_HEADING.exec(text);
    const letteredOk = lettered !== null && (afterReferences || /^[A-H](\.\d|\.\s)/.test(text));
    // Sentences are not headings: no trailing , ; : and a trailing "." only after a section number ("1." alone).
    if (text.length > 100 || /[,;:]$/.test(text) || (/\.$/.test(text) && !/^\d/.test(text))) continue;
    const emphasised = line.bold || line.size >= body + 0.9;
    if (!emphasised || line.size < body - 0.6) continue;
    const numbered = NUMBERED_HEADING.exec(text) ?? (letteredOk ? lettered : null);
    if (numbered) {
      if (/\d\s*[=<>]/.test(text) || /^\d+\s+\d/.test(text)) continue; // table rows, equations
      marks.push({ index, span: 1, level: numbered[1]!.split(".").length, heading: text });
    } else if (NAMED_HEADING.test(text)) {
      marks.push({ index, span: 1, level: 1, heading: text });
      if (/^(references|bibliography)/i.test(text)) afterReferences = true;
    }
  }
  return marks;
}

const ENTRY_START = new RegExp(
  [
    /^\[\d{1,3}\]\s/, // [12] ...
    /^[A-Z][A-Za-z'’-]+,\s(?:[A-Z]\.\s?-?){1,3}(?:,|\s(?:and|&)\s|$)/, // Bello, I., Zoph, B.
    /^(?:[A-Z]\.\s?-?){1,3}\s?[A-Z][A-Za-z'’-]+(?:,|\s(?:and|&)\s)/, // I. Bello, B. Zoph
    /^[A-Z][a-zé]+(?:\s[A-Z]\.?)*(?:\s[A-Z][a-z]+)?\s[A-Z][A-Za-z'’-]+(?:,\s|\sand\s)[A-Z]/, // Samira Abnar and Willem Zuidema
  ]
    .map((r) => r.source)
    .join("|"),
);
const YEAR = /\b(19[5-9]\d|20[0-4]\d)[a-z]?\b/;
const VENUE =
  /\b(In\s|Proceedings|Proc\.|arXiv|Conference|Journal|Transactions|Workshop|preprint|NeurIPS|NIPS|ICLR|ICML|CVPR|ECCV|ICCV|ACL|EMNLP|AAAI|vol\.|pp\.|pages\s\d)/;

/**
 * Where a references list starts when no heading names it: the first line, after a
 * paragraph's end, from which on a dozen lines read as entries (authors' names,
 * years, venues) rather than prose.
 */
export function referencesStart(lines: Line[], from = 0): number | undefined {
  const window = 12;
  for (let i = Math.max(1, from); i + 8 <= lines.length; i++) {
    const line = lines[i]!;
    const prev = lines[i - 1]!;
    if (line.table || line.footnote || !ENTRY_START.test(line.text)) continue;
    const breaksHere =
      /[.:]$/.test(prev.text) || prev.page !== line.page || prev.column !== line.column || prev.y - line.y > 1.9 * line.size;
    if (!breaksHere) continue;
    const run = lines.slice(i, i + window);
    const count = (re: RegExp) => run.filter((l) => re.test(l.text)).length;
    if (count(ENTRY_START) >= 3 && count(YEAR) >= Math.min(4, run.length / 3) && count(VENUE) >= 2) return i;
  }
  return undefined;
}

/** Join lines into paragraphs: de-hyphenate across line breaks, break paragraphs at vertical gaps. */
export function joinLines(lines: Line[]): string {
  let out = "";
  let prev: Line | undefined;
  for (const line of lines) {
    if (line.table || prev?.table) {
      out = out ? `${out}\n\n${line.text}` : line.text;
    } else if (!prev) out = line.text;
    else {
      const sameColumn = prev.page === line.page && prev.column === line.column;
      const gap = sameColumn ? prev.y - line.y : 0;
      const newParagraph = sameColumn && gap > 1.9 * Math.max(prev.size, line.size);
      if (newParagraph) out += `\n\n${line.text}`;
      else if (/[A-Za-z]-$/.test(out) && /^[a-z]/.test(line.text)) out = out.slice(0, -1) + line.text;
      else out += ` ${line.text}`;
    }
    prev = line;
  }
  return out;
}

const FOOTNOTE_MARK = /^(\^?\{?\d{1,2}\}?|[*∗†‡§¶]+)\s?(?=[A-Z([]|https?:|www\.)/;

/**
 * The foot of each page column: its last lines, set smaller than the body text in
 * the bottom quarter of the page, that start with a footnote mark or stand apart
 * below the body text. Captions and their continuation lines are not feet.
 */
export function markFootnotes(pages: Line[][], heights: number[], body: number): number {
  let marked = 0;
  for (const [p, lines] of pages.entries()) {
    const height = heights[p] ?? 792;
    // Smaller than the page's own text (a supplement set in a smaller size throughout has no feet by size alone).
    const text = lines.filter((l) => !l.table);
    const pageBody = text.reduce((n, l) => n + l.text.length, 0) >= 800 ? Math.min(body, bodySize(text)) : body;
    const small = (l: Line) => !l.table && l.size <= pageBody - 0.8 && l.y < height * 0.25 && !CAPTION_START.test(l.text);
    for (const column of [0, 1]) {
      const col = lines.filter((l) => l.column === column);
      let k = col.length;
      while (k > 0 && small(col[k - 1]!)) k--;
      const block = col.slice(k);
      if (block.length === 0) continue;
      const above = col[k - 1];
      const standsApart = !above || (above.size > pageBody - 0.8 && above.y - block[0]!.y >= 1.3 * above.size);
      if (!FOOTNOTE_MARK.test(block[0]!.text) && !standsApart) continue;
      for (const line of block) line.footnote = true;
      marked += block.length;
    }
  }
  return marked;
}

/** Footnotes as paragraphs after a section's text: one per footnote mark. */
function footnoteText(lines: Line[]): string {
  const notes: Line[][] = [];
  for (const line of lines) {
    if (notes.length === 0 || FOOTNOTE_MARK.test(line.text)) notes.push([line]);
    else notes.at(-1)!.push(line);
  }
  return notes
    .map((note) => {
      const text = joinLines(note).replace(/\n+/g, " ");
      const mark = FOOTNOTE_MARK.exec(text);
      return mark ? `[Footnote ${mark[1]!.replace(/[\^{}]/g, "")}] ${text.slice(mark[0].length).trim()}` : `[Footnote] ${text}`;
    })
    .join("\n\n");
}

/** A section's text: its paragraphs and tables, then its footnotes. */
function sectionText(lines: Line[]): string {
  const body = joinLines(lines.filter((l) => !l.footnote));
  const feet = lines.filter((l) => l.footnote);
  return feet.length ? `${body}\n\n${footnoteText(feet)}`.trim() : body;
}

function looksLikeTitle(text: string | undefined): text is string {
  if (!text) return false;
  const t = text.trim();
  return t.length >= 8 && /\s/.test(t) && !/^(untitled|microsoft word)|\.(pdf|dvi|tex|docx?)$/i.test(t);
}

function findTitle(lines: Line[], heights: number[], metaTitle?: string): string {
  if (looksLikeTitle(metaTitle)) return cleanText(metaTitle).trim();
  const firstPage = lines.filter((l) => l.page === 0 && l.y > (heights[0] ?? 792) * 0.45 && l.text.length > 2);
  if (firstPage.length === 0) return lines[0]?.text ?? "";
  const max = Math.max(...firstPage.map((l) => l.size));
  const start = firstPage.findIndex((l) => l.size >= max - 0.5);
  const parts: string[] = [];
  for (let i = start; i < firstPage.length && firstPage[i]!.size >= max - 0.5 && parts.length < 4; i++) parts.push(firstPage[i]!.text);
  return parts.join(" ");
}

/** One page's lines in reading order: scripts and accents joined, tables rebuilt, the rest built into lines. */
function pageLines(page: PdfPage, index: number): { lines: Line[]; tables: number } {
  const withScripts = { ...page, items: attachScripts(page.items) };
  // Whether the page has two columns of prose: table cells would count as fragments on both sides.
  const prose = buildLines(withScripts, index).filter((l) => l.text.split(" ").length >= 4);
  const { items, tables } = extractTables(withScripts, isTwoColumn(prose, page.width));
  const lines = buildLines({ ...page, items }, index);
  for (const table of tables) {
    lines.push({
      text: table.text,
      x: table.left,
      right: table.right,
      y: table.top,
      size: 0,
      bold: false,
      page: index,
      column: 0,
      table: true,
    });
  }
  return { lines: orderPage(lines, page.width), tables: tables.length };
}

const isReferencesMark = (mark: HeadingMark) =>
  /^(references|bibliography|literature cited|works cited)$/i.test(
    mark.heading
      .replace(/^\d+\.?\s*/, "")
      .replace(/\s+/g, " ")
      .replace(/^r eferences$/i, "references"),
  );

export function layoutPdf(pdf: RawPdf, path: string): PaperDraft {
  const warnings = [...pdf.warnings];
  const built = pdf.pages.map((page, i) => pageLines(page, i));
  const perPage = built.map((b) => b.lines);
  const heights = pdf.pages.map((p) => p.height);
  const { pages } = removeRunningLines(perPage, heights);
  // A table of contents ("2.1 Basic Architecture . . . . 6") would be taken for headings: drop its pages.
  const isContentsLine = (l: Line) => !l.table && /(\.\s*){5,}\d*\s*$/.test(l.text);
  const contentsPages = pages.map((p, i) => (p.filter(isContentsLine).length >= 5 ? i : -1)).filter((i) => i >= 0);
  if (contentsPages.length) warnings.push(`skipped the table of contents (page ${contentsPages.map((i) => i + 1).join(", ")})`);
  const kept = pages.filter((_, i) => !contentsPages.includes(i)).map((p) => p.filter((l) => l.text.length > 0 && !isContentsLine(l)));
  const rotated = pdf.pages.reduce((n, p) => n + p.rotatedDropped, 0);
  if (rotated > 0) warnings.push(`dropped ${rotated} rotated text items (margin stamps, rotated labels)`);
  const tables = built.reduce((n, b) => n + b.tables, 0);
  if (tables > 0) warnings.push(`rebuilt ${tables} table(s) from the layout; check them against the PDF`);

  const body = bodySize(kept.flat().filter((l) => !l.table));
  const feet = markFootnotes(
    kept,
    kept.map((p) => heights[p[0]?.page ?? 0] ?? 792),
    body,
  );
  if (feet > 0) warnings.push(`moved ${feet} footnote line(s) out of the paragraphs, after their sections' text`);
  const lines = kept.flat();

  const outlineMarks = pdf.outline.length > 0 ? headingsFromOutline(lines, pdf.outline) : [];
  const useOutline = pdf.outline.length > 0 && outlineMarks.length >= Math.ceil(pdf.outline.length * 0.5);
  if (pdf.outline.length > 0 && !useOutline) warnings.push("the PDF outline does not match the text; headings were found from fonts");
  const markHeadings = (referencesAt?: number) => {
    const fonts = headingsFromFonts(lines, body, referencesAt);
    return useOutline ? mergeNamedHeadings(outlineMarks, fonts) : fonts;
  };
  let marks = markHeadings();
  if (!marks.some(isReferencesMark)) {
    // No heading names the references: find the list by its form, after the last main-text heading.
    const lastNumbered = [...marks].reverse().find((m) => /^\d/.test(m.heading));
    const at = referencesStart(lines, lastNumbered ? lastNumbered.index + lastNumbered.span : Math.floor(lines.length / 3));
    if (at !== undefined) {
      marks = markHeadings(at);
      if (!marks.some((m) => m.index === at))
        marks = [...marks, { index: at, span: 0, level: 1, heading: "References" }].sort((a, b) => a.index - b.index);
      warnings.push(`found the references by their form (no heading names them), from "${lines[at]!.text.slice(0, 50)}"`);
    }
  }

  const title = findTitle(lines, heights, pdf.metaTitle);
  const sections: PaperSection[] = [];
  const preambleEnd = marks[0]?.index ?? lines.length;
  let preamble = lines.slice(0, preambleEnd).filter((l) => !l.footnote && !l.table);
  // Drop the title lines from the preamble so the abstract search sees authors and abstract only.
  const titleKey = headingKey(title);
  preamble = preamble.filter((l) => !titleKey.includes(headingKey(l.text)) || headingKey(l.text).length < 4);
  let abstract = "";
  const abstractAt = preamble.findIndex((l) => /^abstract\b/i.test(l.text));
  if (abstractAt >= 0) {
    const first = { ...preamble[abstractAt]!, text: preamble[abstractAt]!.text.replace(/^abstract[\s.:—–-]*/i, "") };
    abstract = joinLines([first, ...preamble.slice(abstractAt + 1)].filter((l) => l.text));
  }
  for (const [k, mark] of marks.entries()) {
    const end = marks[k + 1]?.index ?? lines.length;
    const content = lines.slice(mark.index + mark.span, end);
    const references = isReferencesMark(mark);
    const text = references ? referenceEntries(content.filter((l) => !l.footnote && !l.table)).join("\n\n") : sectionText(content);
    sections.push({ level: mark.level, heading: references ? "References" : mark.heading, text });
  }
  if (marks.length === 0) {
    warnings.push("no headings found: the whole text is one section");
    sections.push({ level: 1, heading: "Body", text: sectionText(lines.slice(preambleEnd === lines.length ? 0 : preambleEnd)) });
  }
  const draft = structurePaper({ title, preamble: "", sections, kind: "pdf", path, warnings, abstract: abstract || undefined });
  draft.captions = collectPdfCaptions(lines.filter((l) => !l.table));
  if (draft.references.length === 0) draft.warnings.push("no references section found");
  return draft;
}

const CAPTION_START = /^(Figure|Fig\.|Table|Algorithm)\s*[A-Z]?\d+\s*[:.|]/;

/** Figure and table captions: a line starting "Figure N:" and the lines that follow it closely. */
export function collectPdfCaptions(lines: Line[]): string[] {
  const captions: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!CAPTION_START.test(lines[i]!.text)) continue;
    const parts = [lines[i]!];
    for (let j = i + 1; j < lines.length && parts.length < 8; j++) {
      const prev = parts.at(-1)!;
      const next = lines[j]!;
      if (next.page !== prev.page || next.column !== prev.column || CAPTION_START.test(next.text)) break;
      if (prev.y - next.y > 1.9 * Math.max(prev.size, next.size)) break;
      parts.push(next);
    }
    captions.push(joinLines(parts).replace(/\n+/g, " "));
  }
  return captions;
}

/** Outline entries rarely include Abstract or References; add those found from fonts. */
function mergeNamedHeadings(outline: HeadingMark[], fonts: HeadingMark[]): HeadingMark[] {
  const named = fonts.filter(
    (m) =>
      /^(abstract|references|bibliography|acknowledge?ments?|appendix.*)$/i.test(m.heading) && !outline.some((o) => o.index === m.index),
  );
  // An outline that stops before the references: the appendix headings after them come from the fonts.
  const lastOutline = outline.at(-1)?.index ?? -1;
  const references = fonts.find((m) => m.heading === "References" && m.index > lastOutline);
  const after = references ? fonts.filter((m) => m.index > references.index && !named.includes(m)) : [];
  return [...outline, ...named, ...after].sort((a, b) => a.index - b.index);
}

/** Split a references section into entries: by [n] labels, else by hanging indent, else by line ends. */
export function referenceEntries(lines: Line[]): string[] {
  if (lines.length === 0) return [];
  const labelled = lines.filter((l) => /^\[\d+\]/.test(l.text)).length;
  // The usual distance between the lines of one entry: entries set apart by a wider one start there.
  const steps = lines
    .slice(1)
    .flatMap((l, i) => (lines[i]!.page === l.page && lines[i]!.column === l.column ? [lines[i]!.y - l.y] : []))
    .sort((a, b) => a - b);
  const step = steps[Math.floor(steps.length / 5)] ?? 0;
  const starts: boolean[] = lines.map((line, i) => {
    if (i === 0) return true;
    if (labelled >= 2) return /^\[\d+\]/.test(line.text);
    const prev = lines[i - 1]!;
    if (prev.page !== line.page || prev.column !== line.column) return /^[A-Z]/.test(line.text) && /[.]$/.test(prev.text);
    const indentStart = line.x < prev.x - 3; // continuation lines are indented (hanging indent)
    // A line's own leading caps the step: entries of one line each leave no inner step to measure.
    const leading = Math.min(step || Infinity, 1.25 * line.size);
    const spaced = prev.y - line.y > 1.12 * leading && /[.]$/.test(prev.text) && /^[A-Z]/.test(line.text);
    return indentStart || spaced || (/\.$/.test(prev.text) && prev.right < line.right - 30 && /^[A-Z]/.test(line.text));
  });
  const entries: string[] = [];
  let current: Line[] = [];
  for (const [i, line] of lines.entries()) {
    if (starts[i] && current.length) {
      entries.push(joinLines(current).replace(/\n+/g, " "));
      current = [];
    }
    current.push(line);
  }
  if (current.length) entries.push(joinLines(current).replace(/\n+/g, " "));
  return entries;
}
