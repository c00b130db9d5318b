/**
 * The PaperBench papers in ../shared/paperbench (MinerU Markdown, and one PDF and LaTeX
 * source), when that folder is present: the appendix reaches the agents' text and
 * heading levels come from the numbering.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fitPaperToBudget } from "../../src/paper/budget.js";
import { loadPaper } from "../../src/paper/load.js";
import { APPENDIX_MARKER } from "../../src/paper/render.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "shared", "paperbench");
const ids = existsSync(ROOT) ? readdirSync(ROOT).filter((id) => existsSync(join(ROOT, id, "paper.md"))) : [];
const DEFAULT_BUDGET = 120_000;

describe.skipIf(ids.length === 0)("PaperBench papers from ../shared/paperbench", () => {
  for (const id of ids) {
    it(`${id}: every appendix section reaches the agents; levels from numbering; references kept out`, async () => {
      const paper = await loadPaper(join(ROOT, id, "paper.md"));
      expect(paper.appendix.length).toBeGreaterThanOrEqual(2);
      const fitted = fitPaperToBudget(paper, DEFAULT_BUDGET);
      expect(fitted.dropped).toEqual([]);
      expect(fitted.markdown).toContain(APPENDIX_MARKER);
      const afterMarker = fitted.markdown.slice(fitted.markdown.indexOf(APPENDIX_MARKER));
      for (const section of paper.appendix) {
        expect(afterMarker).toContain(`# ${section.heading}\n`);
        if (section.text) expect(afterMarker).toContain(section.text.slice(0, 200));
      }
      expect(fitted.sent.appendix).toBeGreaterThan(0);
      expect(fitted.sent.appendixSections).toBe(paper.appendix.length);
      // "3.1." is one level below "3.", "B.1." one below "B.", in a file where every heading has one '#'.
      const levelOf = (prefix: string) => [...paper.sections, ...paper.appendix].find((s) => s.heading.startsWith(prefix))?.level;
      expect(levelOf("3. ")).toBe(1);
      expect(levelOf("3.1. ")).toBe(2);
      const lettered = paper.appendix.find((s) => /^[A-Z]\.\d+\. /.test(s.heading));
      if (lettered) expect(lettered.level).toBe(2);
      expect(paper.references.length).toBeGreaterThanOrEqual(20);
      expect(fitted.markdown).not.toContain(paper.references[3]!.slice(0, 60));
      process.stdout.write(
        `${id}: main ${fitted.sent.main} tokens, appendix ${fitted.sent.appendix} tokens in ${fitted.sent.appendixSections} sections, dropped: ${fitted.dropped.join(", ") || "nothing"}\n`,
      );
    });
  }

  const pdf = join(ROOT, "mechanistic-understanding", "paper.pdf");
  const latex = join(ROOT, "mechanistic-understanding", "paper-latex.tar.gz");
  it.skipIf(!existsSync(pdf) || !existsSync(latex))(
    "mechanistic-understanding as PDF and as LaTeX: the Hyperparameters appendix reaches the agents",
    async () => {
      for (const path of [pdf, latex]) {
        const paper = await loadPaper(path);
        const hyper = paper.appendix.find((s) => /Hyperparameters/.test(s.heading));
        expect(hyper, path).toBeDefined();
        const fitted = fitPaperToBudget(paper, DEFAULT_BUDGET);
        expect(fitted.markdown.slice(fitted.markdown.indexOf(APPENDIX_MARKER))).toContain(hyper!.text.slice(0, 120));
      }
    },
  );
});
