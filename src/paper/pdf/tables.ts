import type { PdfItem, PdfPage } from "./types.js";

/**
 * Tables rebuilt from positioned text. A table is found from its caption
 * ("Table 3: ..."): the rows next to it (below, or above when the caption is
 * under the table) that split into cells at wide gaps, up to body text, another
 * caption or a wide vertical gap. Columns come from where the cells lie; header
 * rows (no numbers) are merged per column. The result is a Markdown table, or
 * aligned rows when the rows do not share columns well (blocks stacked in cells).
 */

export interface PdfTable {
  /** The caption's label, e.g. "Table 3". */
  label: string;
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** Markdown table or fenced aligned rows. */
  text: string;
  rows: number;
  columns: number;
  layout: "markdown" | "aligned";
}

interface Cell {
  x: number;
  right: number;
  text: string;
}

interface Row {
  y: number;
  size: number;
  items: PdfItem[];
  cells: Cell[];
}

const CAPTION = /^(Table|TABLE|Tab\.)\s*([A-Z]?\d+|[IVX]+)\s*[:.|]/;
const OTHER_CAPTION = /^(Figure|Fig\.|Algorithm|Listing)\s*[A-Z]?\d+\s*[:.|]/;
const STRICT_NUMBER = /^[-+−±~≈<>]?\s*\(?[-+−]?\d[\d.,]*\)?\s*(%|K|M|B|k|x|×)?\s*(±\s*\d[\d.,]*)?$/;

const end = (i: { x: number; width: number }) => i.x + i.width;

function joinItems(items: PdfItem[]): string {
  let text = "";
  let prev: PdfItem | undefined;
  for (const item of items) {
    const gap = prev ? item.x - end(prev) : 0;
    if (prev && gap > 0.15 * Math.max(item.size, 1) && !text.endsWith(" ") && !item.text.startsWith(" ")) text += " ";
    text += item.text;
    prev = item;
  }
  return text.replace(/\s+/g, " ").trim();
}

/** Rows of items on one baseline, top to bottom, each split into cells at gaps wider than about an em. */
function groupRows(items: PdfItem[]): Row[] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Row[] = [];
  for (const item of sorted) {
    const row = rows.at(-1);
    if (row && Math.abs(row.y - item.y) <= Math.max(2, 0.45 * Math.max(item.size, row.size))) {
      row.items.push(item);
      row.size = Math.max(row.size, item.size);
    } else rows.push({ y: item.y, size: item.size, items: [item], cells: [] });
  }
  for (const row of rows) {
    row.items.sort((a, b) => a.x - b.x);
    let current: PdfItem[] = [];
    const flush = () => {
      if (current.length) row.cells.push({ x: current[0]!.x, right: Math.max(...current.map(end)), text: joinItems(current) });
      current = [];
    };
    for (const item of row.items) {
      const prev = current.at(-1);
      if (prev && item.x - Math.max(...current.map(end)) > 0.9 * Math.max(prev.size, item.size)) flush();
      current.push(item);
    }
    flush();
  }
  return rows;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Body text, not a table row: a long run of words. */
function isProse(row: Row, width: number): boolean {
  return row.cells.some((c) => words(c.text) >= 8 && c.right - c.x >= 0.35 * width);
}

const isCaption = (row: Row) => row.cells.some((c) => CAPTION.test(c.text) || OTHER_CAPTION.test(c.text));

/** The caption's rows: its first line and the lines that continue it (each wrapped one nearly as wide as the region). */
function captionRows(rows: Row[], start: number, width: number): number {
  let last = start;
  for (let i = start + 1; i < rows.length; i++) {
    const prev = rows[last]!;
    const row = rows[i]!;
    const wrapped = prev.cells.length === 1 && prev.cells[0]!.right - prev.cells[0]!.x >= 0.75 * width;
    if (!wrapped || row.cells.length !== 1 || prev.y - row.y > 1.6 * prev.size || Math.abs(row.size - prev.size) > 0.6 || isCaption(row))
      break;
    last = i;
  }
  return last;
}

/** Rows next to the caption, walking away from it, that look like a table. */
function tableRows(rows: Row[], from: number, step: 1 | -1, edgeY: number, width: number): Row[] {
  const found: Row[] = [];
  let prevY = edgeY;
  for (let i = from; i >= 0 && i < rows.length; i += step) {
    const row = rows[i]!;
    if (isCaption(row) || isProse(row, width)) break;
    const gap = Math.abs(prevY - row.y);
    if (gap > (found.length === 0 ? 5 : 2.6) * row.size) break;
    found.push(row);
    prevY = row.y;
  }
  if (step === -1) found.reverse();
  // A trailing one-cell line is more often the next paragraph's first words than a table row.
  while (found.length && found.at(step === 1 ? -1 : 0)!.cells.length === 1 && found.length > 2) {
    if (step === 1) found.pop();
    else found.shift();
  }
  return found;
}

const multiCell = (rows: Row[]) => rows.filter((r) => r.cells.length >= 2).length;

/** Column intervals from the cells' extents; very wide (spanning) cells do not shape them. */
function columnsOf(rows: Row[]): { x: number; right: number }[] {
  const cells = rows.flatMap((r) => r.cells);
  const widths = cells.map((c) => c.right - c.x).sort((a, b) => a - b);
  const median = widths[Math.floor(widths.length / 2)] ?? 0;
  const shaping = cells.filter((c) => c.right - c.x <= Math.max(3 * median, 20)).sort((a, b) => a.x - b.x);
  const columns: { x: number; right: number }[] = [];
  for (const cell of shaping) {
    const last = columns.at(-1);
    if (last && cell.x <= last.right + 1) last.right = Math.max(last.right, cell.right);
    else columns.push({ x: cell.x, right: cell.right });
  }
  return columns;
}

/** The first column a cell covers (a spanning cell goes to its first), else the nearest. */
function columnOf(cell: Cell, columns: { x: number; right: number }[]): number {
  const covered = columns.findIndex((col) => Math.min(cell.right, col.right) - Math.max(cell.x, col.x) > 0);
  if (covered >= 0) return covered;
  const center = (a: { x: number; right: number }) => (a.x + a.right) / 2;
  let best = 0;
  columns.forEach((col, i) => {
    if (Math.abs(center(col) - center(cell)) < Math.abs(center(columns[best]!) - center(cell))) best = i;
  });
  return best;
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|");

function renderMarkdown(grid: string[][], headerRows: number): string {
  const width = Math.max(...grid.map((r) => r.length));
  const header = Array.from({ length: width }, (_, c) =>
    grid
      .slice(0, headerRows)
      .map((r) => r[c] ?? "")
      .filter(Boolean)
      .join(" "),
  );
  const body = headerRows > 0 ? grid.slice(headerRows) : grid.slice(1);
  const head = headerRows > 0 ? header : grid[0]!;
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, c) => escapeCell(cells[c] ?? "")).join(" | ")} |`;
  return [line(head), `|${" --- |".repeat(width)}`, ...body.map(line)].join("\n");
}

/** Rows as the page sets them, in a fenced block: each item placed at its column in characters. */
function renderAligned(rows: Row[], charWidth: number): string {
  const left = Math.min(...rows.flatMap((r) => r.cells.map((c) => c.x)));
  const lines = rows.map((row) => {
    let text = "";
    for (const cell of row.cells) {
      const at = Math.max(text.length + (text ? 2 : 0), Math.round((cell.x - left) / charWidth));
      text = `${text.padEnd(at)}${cell.text}`;
    }
    return text.trimEnd();
  });
  return ["```text", ...lines.filter((l) => l.trim()), "```"].join("\n");
}

function buildTable(label: string, rows: Row[]): PdfTable | undefined {
  const columns = columnsOf(rows);
  if (columns.length < 2 || multiCell(rows) < 2) return undefined;
  const grid = rows.map((row) => {
    const cells: string[] = Array.from({ length: columns.length }, () => "");
    for (const cell of row.cells) {
      const c = columnOf(cell, columns);
      cells[c] = cells[c] ? `${cells[c]} ${cell.text}` : cell.text;
    }
    return cells;
  });
  const numeric = (cells: string[]) => cells.filter((c) => STRICT_NUMBER.test(c)).length;
  let headerRows = grid.findIndex((cells) => numeric(cells) > 0);
  if (headerRows < 0 || headerRows > 4) headerRows = 1;
  // Blocks stacked inside cells (lines of different columns on interleaved baselines) do not share one grid
  // of rows: they read better as aligned text.
  const size = rows.reduce((s, r) => Math.max(s, r.size), 0);
  const pairs = rows
    .slice(1)
    .map((row, i) => ({ a: rows[i]!, b: row }))
    .filter(({ a, b }) => a.cells.length >= 2 && b.cells.length >= 2);
  const interleaved = pairs.filter(({ a, b }) => a.y - b.y < 0.75 * Math.max(a.size, b.size)).length;
  const layout = pairs.length > 0 && interleaved / pairs.length > 0.3 ? "aligned" : "markdown";
  const text = layout === "markdown" ? renderMarkdown(grid, headerRows) : renderAligned(rows, Math.max(2, 0.5 * size));
  return {
    label,
    top: rows[0]!.y + rows[0]!.size,
    bottom: rows.at(-1)!.y,
    left: Math.min(...rows.flatMap((r) => r.cells.map((c) => c.x))),
    right: Math.max(...rows.flatMap((r) => r.cells.map((c) => c.right))),
    text: `${label} (rows and columns rebuilt from the PDF layout):\n\n${text}`,
    rows: rows.length,
    columns: columns.length,
    layout,
  };
}

/**
 * The tables of one page and the items that remain for the text. `twoColumn`
 * pages confine a caption in one column to that column.
 */
export function extractTables(page: PdfPage, twoColumn: boolean): { items: PdfItem[]; tables: PdfTable[] } {
  if (!page.items.some((i) => /^(Table|TABLE|Tab\.)/.test(i.text.trimStart()))) return { items: page.items, tables: [] };
  const mid = page.width / 2;
  const slack = page.width * 0.02;
  const tables: PdfTable[] = [];
  const used = new Set<PdfItem>();
  const allRows = groupRows(page.items);
  const captions = allRows.flatMap((row) => row.cells.filter((c) => CAPTION.test(c.text)).map((cell) => ({ row, cell })));
  for (const { cell } of captions) {
    const region =
      twoColumn && cell.right <= mid + slack
        ? { left: 0, right: mid + slack }
        : twoColumn && cell.x >= mid - slack
          ? { left: mid - slack, right: page.width }
          : { left: 0, right: page.width };
    const inRegion = page.items.filter((i) => !used.has(i) && i.x >= region.left - 1 && end(i) <= region.right + 1);
    const rows = groupRows(inRegion);
    const start = rows.findIndex((r) => r.cells.some((c) => c.text === cell.text && Math.abs(c.x - cell.x) < 1));
    if (start < 0) continue;
    // The text block's own width (margins excluded): what a wrapped caption line or a line of prose spans.
    const width = Math.max(...inRegion.map(end)) - Math.min(...inRegion.map((i) => i.x));
    const last = captionRows(rows, start, width);
    const below = tableRows(rows, last + 1, 1, rows[last]!.y, width);
    const above = tableRows(rows, start - 1, -1, rows[start]!.y, width);
    const chosen = multiCell(above) > multiCell(below) ? above : below;
    const label = CAPTION.exec(cell.text)![0]
      .replace(/\s*[:.|]$/, "")
      .replace(/^TABLE/, "Table");
    const table = buildTable(label, chosen);
    if (!table) continue;
    tables.push(table);
    for (const row of chosen) for (const item of row.items) used.add(item);
  }
  return { items: page.items.filter((i) => !used.has(i)), tables };
}
