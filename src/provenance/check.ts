import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import type { Paper } from "../paper/types.js";
import { asNumber } from "./numbers.js";
import { citationsIn, PaperIndex, type Citation } from "./paper-index.js";

/**
 * Provenance of every value in config.yaml: does the paper state it where the
 * value's comment says? Statuses: `cited` (in the cited section, table,
 * equation or appendix part), `elsewhere` (stated, but not where cited, or
 * not cited at all: the place is named), `unsupported` (stated nowhere, and
 * not marked as the implementer's choice), `choice` (marked as the
 * implementer's choice), `unchecked` (booleans, paths, long text).
 */

export type ProvenanceStatus = "cited" | "elsewhere" | "unsupported" | "choice" | "unchecked";

export interface ProvenanceEntry {
  key: string;
  value: unknown;
  line: number;
  comment?: string;
  /** The places the comment cites, as written. */
  cites: string[];
  status: ProvenanceStatus;
  /** Where the paper states the value, when it does. */
  foundAt?: string;
  note?: string;
}

export interface ProvenanceReport {
  counts: Record<ProvenanceStatus, number>;
  entries: ProvenanceEntry[];
}

export type PaperText = Pick<Paper, "title" | "abstract" | "sections" | "appendix" | "captions">;

const CHOICE =
  /not (stated |given |specified )?in the paper|implementer'?s?'? choice|our choice|not specified|unspecified|assum(ed|ption)|conventional|placeholder|not from the paper|chosen by (us|the implement)/i;
const SMOKE_ONLY = /smoke test only/i;

interface RawEntry {
  key: string;
  value: unknown;
  line: number;
  comment?: string;
}

/** The scalar settings of config.yaml with their comments (the same line's, or the line above's), the smoke section left out. */
export function configEntries(yamlText: string): RawEntry[] {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines });
  const entries: RawEntry[] = [];
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 0);
  const commentOf = (pair: Pair<unknown, unknown> | undefined, node: Node): string | undefined =>
    (node as { comment?: string }).comment?.trim() ||
    (pair?.key as { commentBefore?: string } | undefined)?.commentBefore?.trim().split("\n").at(-1)?.trim() ||
    undefined;
  const visit = (node: unknown, path: string[], pair?: Pair<unknown, unknown>) => {
    if (isMap(node)) {
      for (const item of node.items) {
        const key = String(isScalar(item.key) ? item.key.value : item.key);
        if (path.length === 0 && key === "smoke") continue;
        visit(item.value, [...path, key], item as Pair<unknown, unknown>);
      }
    } else if (isSeq(node)) {
      if (node.items.every((i) => isScalar(i))) {
        const first = node.items[0] as Node | undefined;
        entries.push({
          key: path.join("."),
          value: node.items.map((i) => (i as { value: unknown }).value),
          line: lineOf(node),
          comment: commentOf(pair, node) ?? (first as { comment?: string } | undefined)?.comment?.trim(),
        });
      } else node.items.forEach((item, i) => visit(item, [...path, String(i)]));
    } else if (isScalar(node)) {
      entries.push({ key: path.join("."), value: node.value, line: lineOf(node), comment: commentOf(pair, node) });
    }
  };
  visit(doc.contents, []);
  return entries;
}

const isPathLike = (value: string) => /[\\/]|\.(ya?ml|json|txt|csv|pt|pth|ckpt|npy|npz|pkl|h5|bin|log|md|py)$|^https?:|^~/.test(value);

export function checkProvenance(yamlText: string, paper: PaperText, index = new PaperIndex(paper)): ProvenanceReport {
  const entries = configEntries(yamlText).map((raw) => judge(raw, index));
  const counts: Record<ProvenanceStatus, number> = { cited: 0, elsewhere: 0, unsupported: 0, choice: 0, unchecked: 0 };
  for (const e of entries) counts[e.status]++;
  return { counts, entries };
}

function judge(raw: RawEntry, index: PaperIndex): ProvenanceEntry {
  const comment = raw.comment;
  const citations: Citation[] = comment ? citationsIn(comment) : [];
  const base = { ...raw, cites: citations.map((c) => c.text) };
  if (comment && SMOKE_ONLY.test(comment)) return { ...base, status: "choice", note: "smoke test only" };
  const values = (Array.isArray(raw.value) ? raw.value : [raw.value]).map((v) => asNumber(v) ?? v);
  const checkable = values.filter(
    (v) => typeof v === "number" || (typeof v === "string" && !isPathLike(v) && v.length <= 60 && v.trim().length >= 3),
  );
  const choice = Boolean(comment && CHOICE.test(comment));
  if (checkable.length === 0 || checkable.length < values.length / 2) {
    return { ...base, status: choice ? "choice" : "unchecked" };
  }
  // A run of integers ([0, 1, 2, 3, 4]) is stated by its ends ("seeds 0 to 4", "7-10").
  const run =
    checkable.length >= 3 &&
    checkable.every((v, i) => typeof v === "number" && Number.isInteger(v) && (i === 0 || v === (checkable[i - 1] as number) + 1));
  const stated = run ? [checkable[0]!, checkable.at(-1)!] : checkable;
  const occurrences = stated.map((v) => index.occurrences(v));
  const everywhere = occurrences.every((o) => o.length > 0);
  const foundAt = everywhere ? index.placeAt(occurrences[0]![0]!) : undefined;
  if (choice) return { ...base, status: "choice", ...(foundAt ? { foundAt, note: "the paper states this value too" } : {}) };
  if (!everywhere) {
    const missing = stated.filter((_, i) => occurrences[i]!.length === 0);
    return { ...base, status: "unsupported", note: `the paper states ${missing.map(String).join(", ")} nowhere` };
  }
  // A comment with no citation in the usual form may still name a section ("# Training details").
  const cited: Citation[] = citations.length || !comment ? citations : [{ kind: "name", id: comment, text: comment }];
  const spans = cited.flatMap((c) => index.resolve(c));
  if (spans.length > 0 && occurrences.every((o) => index.within(o, spans).length > 0)) {
    return { ...base, status: "cited", foundAt: index.placeAt(index.within(occurrences[0]!, spans)[0]!) };
  }
  const note =
    cited.length === 0
      ? "no place is cited"
      : spans.length === 0
        ? `the paper has no ${cited.map((c) => c.text).join(" or ")}`
        : `${cited.map((c) => c.text).join(" / ")} does not state it`;
  return { ...base, status: "elsewhere", foundAt, note };
}

/** The Markdown table for the generated repository's README. */
export function renderProvenanceTable(report: ProvenanceReport): string {
  const label: Record<ProvenanceStatus, string> = {
    cited: "as cited",
    elsewhere: "stated elsewhere",
    unsupported: "NOT in the paper",
    choice: "implementer's choice",
    unchecked: "not checked",
  };
  const cell = (v: unknown) => String(Array.isArray(v) ? `[${v.join(", ")}]` : v).replace(/\|/g, "\\|");
  const rows = report.entries.map(
    (e) =>
      `| \`${e.key}\` | ${cell(e.value)} | ${cell(e.foundAt ?? (e.cites.join(", ") || "-"))} | ${label[e.status]}${e.note && e.status !== "cited" ? ` (${cell(e.note)})` : ""} |`,
  );
  const c = report.counts;
  return [
    `Each value of \`config.yaml\`, checked against the paper's text (numbers compared by value: 1e-4 = 0.0001 = 10^-4, 10% = 0.1): ${c.cited} as cited, ${c.elsewhere} stated elsewhere than cited, ${c.unsupported} not in the paper, ${c.choice} implementer's choices, ${c.unchecked} not checked.`,
    "",
    "| setting | value | where the paper states it | status |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** What run.json keeps: the counts, and the keys that need a look. */
export interface ProvenanceSummary {
  counts: Record<ProvenanceStatus, number>;
  unsupported: string[];
  miscited: string[];
}

export function summarizeProvenance(report: ProvenanceReport): ProvenanceSummary {
  return {
    counts: report.counts,
    unsupported: report.entries.filter((e) => e.status === "unsupported").map((e) => e.key),
    miscited: report.entries.filter((e) => e.status === "elsewhere" && e.cites.length > 0).map((e) => e.key),
  };
}
