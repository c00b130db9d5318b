/**
 * Ingestion over the real papers in ../shared/papers, when that folder is present
 * (it is beside the checkout here and in CI, not in a bare clone).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readTarSources } from "../../src/paper/archive.js";
import { findMainFile, flatten } from "../../src/paper/latex.js";
import { loadPaper } from "../../src/paper/load.js";
import { composeAccents } from "../../src/paper/pdf/glyphs.js";
import { headingKey } from "../../src/paper/pdf/layout.js";
import { readPdf } from "../../src/paper/pdf/read.js";
import { renderPaperMarkdown } from "../../src/paper/render.js";
import type { Paper } from "../../src/paper/types.js";

const PAPERS = join(import.meta.dirname, "..", "..", "..", "shared", "papers");
const present = existsSync(join(PAPERS, "MANIFEST.tsv"));

const manifest = present
  ? readFileSync(join(PAPERS, "MANIFEST.tsv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split("\t"))
      .filter(([file]) => file!.endsWith(".pdf"))
      .map(([file, title]) => ({ file: file!, title: title!.replace(/\s*\(.*\)\s*$/, "") }))
  : [];

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const normalize = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const headingKeys = (paper: Paper) => [...paper.sections, ...paper.appendix].map((s) => headingKey(s.heading).replace(/\d+$/, ""));

describe.skipIf(!present)("real PDFs from ../shared/papers", () => {
  for (const { file, title } of manifest) {
    it(`${file}: title, outline headings, clean text, references split off`, async () => {
      const path = join(PAPERS, file);
      const paper = await loadPaper(path);
      expect(normalize(paper.title)).toContain(normalize(title));

      const { outline } = await readPdf(new Uint8Array(readFileSync(path)), file);
      if (outline.length > 0) {
        const found = headingKeys(paper);
        const matched = outline.filter((entry) => {
          const key = headingKey(entry.title);
          return found.some((f) => f === key || (f.length >= 4 && key.startsWith(f)));
        });
        expect(
          matched.length / outline.length,
          `${file}: ${outline.length - matched.length} outline headings missed`,
        ).toBeGreaterThanOrEqual(0.9);
      }

      const markdown = renderPaperMarkdown(paper, { includeAppendix: true });
      expect(CONTROL.test(JSON.stringify(paper.sections) + markdown + paper.title)).toBe(false);
      expect(paper.references.length).toBeGreaterThanOrEqual(5);
      expect(markdown).not.toMatch(/^#+ (\d+\.?\s*)?References\s*$/m);
      expect(markdown).not.toContain(paper.references[0]!.slice(0, 60));
    });
  }
});

const TRANSFORMER_TAR = join(PAPERS, "latex", "transformer_arxiv_src.tar.gz");

describe.skipIf(!existsSync(TRANSFORMER_TAR))("the Transformer's LaTeX source", () => {
  it("flattens its \\input files to at least 45,000 characters with its section headings", async () => {
    const { files } = await readTarSources(gunzipSync(readFileSync(TRANSFORMER_TAR)));
    const main = findMainFile(files)!;
    const warnings: string[] = [];
    const flat = flatten(files, main, warnings);
    expect(flat.length).toBeGreaterThanOrEqual(45_000);
    expect(warnings).toEqual([]);
    const paper = await loadPaper(TRANSFORMER_TAR);
    expect(paper.title).toBe("Attention Is All You Need");
    for (const heading of [
      "Introduction",
      "Model Architecture",
      "Scaled Dot-Product Attention",
      "Positional Encoding",
      "Training",
      "Optimizer",
      "Results",
      "Conclusion",
    ]) {
      expect(paper.sections.map((s) => s.heading)).toContain(heading);
    }
  });

  it("gives the same section headings as the paper's PDF", async () => {
    const fromLatex = await loadPaper(TRANSFORMER_TAR);
    const fromPdf = await loadPaper(join(PAPERS, "attention_1706.03762.pdf"));
    const keys = (p: Paper) => p.sections.filter((s) => s.level <= 3).map((s) => headingKey(s.heading));
    expect(keys(fromLatex)).toEqual(keys(fromPdf));
  });
});

/** The rows of the Markdown table that follows `label (rows and columns rebuilt ...)`, as header -> cell maps. */
function markdownTable(markdown: string, label: string): Record<string, string>[] {
  const start = markdown.indexOf(`${label} (rows and columns rebuilt from the PDF layout):`);
  if (start < 0) return [];
  const lines = markdown.slice(start).split("\n").slice(2);
  const rows: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .replace(/^\|\s?|\s?\|$/g, "")
        .split(" | ")
        .map((c) => c.trim()),
    );
  }
  const [header, , ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ""])));
}

describe.skipIf(!present)("tables, accents and feet in the real PDFs", () => {
  it("the Transformer's Table 3: the base model's values each in one row under their column headers", async () => {
    const paper = await loadPaper(join(PAPERS, "attention_1706.03762.pdf"));
    const markdown = renderPaperMarkdown(paper);
    const rows = markdownTable(markdown, "Table 3");
    const base = rows.find((r) => r[""] === "base");
    expect(base, markdown.slice(markdown.indexOf("Table 3 ("), markdown.indexOf("Table 3 (") + 600)).toBeDefined();
    expect(base).toMatchObject({
      N: "6",
      d_model: "512",
      d_ff: "2048",
      h: "8",
      d_k: "64",
      d_v: "64",
      P_drop: "0.1",
      ϵ_ls: "0.1",
      "train steps": "100K",
    });
    const big = rows.find((r) => r[""] === "big");
    expect(big).toMatchObject({ N: "6", d_model: "1024", d_ff: "4096", h: "16", P_drop: "0.3", "train steps": "300K" });
    // The text around it: ϵ_ls from the math font, and the footnote out of the paragraph.
    expect(markdown).toContain("ϵ_ls = 0.1");
    expect(markdown).not.toMatch(/respectively\. Table 3:|perplexities\. 5We used/);
  });

  for (const { file } of manifest) {
    it(`${file}: no accent left beside its letter, text in NFC`, async () => {
      const paper = await loadPaper(join(PAPERS, file));
      const markdown = renderPaperMarkdown(paper);
      expect(markdown).toBe(markdown.normalize("NFC"));
      expect(composeAccents(markdown), "an accent that composes with the letter after it").toBe(markdown);
    });
  }
});
