import { readFileSync } from "node:fs";
import { readPdf } from "../src/paper/pdf/read.ts";
import { attachScripts } from "../src/paper/pdf/glyphs.ts";
import { extractTables } from "../src/paper/pdf/tables.ts";
import { buildLines, isTwoColumn } from "../src/paper/pdf/layout.ts";
const raw = await readPdf(new Uint8Array(readFileSync(process.argv[2]!)), "x");
const pages = process.argv[3] ? [Number(process.argv[3])] : raw.pages.map((_, i) => i + 1);
for (const n of pages) {
  const page = raw.pages[n - 1]!;
  const withScripts = { ...page, items: attachScripts(page.items) };
  const two = isTwoColumn(buildLines(withScripts, 0), page.width);
  const { tables } = extractTables(withScripts, two);
  for (const t of tables) console.log(`--- page ${n} ${t.label} ${t.layout} ${t.rows}x${t.columns}\n${t.text}\n`);
}
