/**
 * PDF extraction speed: paper2code (pdf.js in a worker + layout) against poppler's
 * pdftotext on the same files. Median of N runs each; ms per page and the ratio.
 *   npx tsx bench/pdf-speed.ts [--runs 3] [files...]   (default: ../shared/papers/*.pdf)
 * Needs pdftotext (Debian: poppler-utils).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { layoutPdf } from "../src/paper/pdf/layout.js";
import { readPdf } from "../src/paper/pdf/read.js";

const args = process.argv.slice(2);
const runsAt = args.indexOf("--runs");
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const shared = join(import.meta.dirname, "..", "..", "shared", "papers");
const files = args.length
  ? args
  : existsSync(shared)
    ? readdirSync(shared)
        .filter((f) => f.endsWith(".pdf"))
        .map((f) => join(shared, f))
    : [];
if (files.length === 0) {
  console.error("no PDFs: pass files or provide ../shared/papers");
  process.exit(2);
}
if (spawnSync("pdftotext", ["-v"]).error) {
  console.error("pdftotext not found: apt-get install poppler-utils");
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

console.log(`| paper | pages | paper2code ms | pdftotext ms | paper2code ms/page | pdftotext ms/page | ratio |`);
console.log(`| --- | ---: | ---: | ---: | ---: | ---: | ---: |`);
let ours = 0;
let theirs = 0;
let allPages = 0;
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  let pages = 0;
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    oursMs.push(
      await time(async () => {
        const raw = await readPdf(bytes, file);
        pages = raw.pages.length;
        layoutPdf(raw, file);
      }),
    );
    theirsMs.push(await time(() => execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { maxBuffer: 64 << 20 })));
  }
  const a = median(oursMs);
  const b = median(theirsMs);
  ours += a;
  theirs += b;
  allPages += pages;
  console.log(
    `| ${basename(file)} | ${pages} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(a / pages).toFixed(1)} | ${(b / pages).toFixed(1)} | ${(a / b).toFixed(1)}x |`,
  );
}
console.log(
  `| all | ${allPages} | ${ours.toFixed(0)} | ${theirs.toFixed(0)} | ${(ours / allPages).toFixed(1)} | ${(theirs / allPages).toFixed(1)} | ${(ours / theirs).toFixed(1)}x |`,
);
