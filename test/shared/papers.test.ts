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
const normalize = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
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
        expect(matched.length / outline.length, `${file}: ${outline.length - matched.length} outline headings missed`).toBeGreaterThanOrEqual(0.9);
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
    for (const heading of ["Introduction", "Model Architecture", "Scaled Dot-Product Attention", "Positional Encoding", "Training", "Optimizer", "Results", "Conclusion"]) {
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
