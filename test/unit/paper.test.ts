import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode, UserError } from "../../src/errors.js";
import { detectKind, loadPaper, parsePaperText } from "../../src/paper/load.js";
import { renderPaperMarkdown } from "../../src/paper/render.js";

async function file(name: string, content: string | Buffer) {
  const dir = await mkdtemp(join(tmpdir(), "p2c-paper-"));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe("detectKind looks at bytes, not names", () => {
  it.each([
    ["%PDF-1.7\n...", "x.md", "pdf"],
    ["<!DOCTYPE html><html>", "paper.pdf", "html"],
    ['{"title": "x"}', "paper.txt", "papercoder-json"],
    ["\\documentclass{article}", "paper.txt", "latex"],
    ["# Title\n\ntext", "paper.txt", "markdown"],
    ["Title\n\nplain words", "paper", "text"],
  ])("%j named %s is %s", (content, name, kind) => {
    expect(detectKind(Buffer.from(content), name)).toBe(kind);
  });
  it("sees gzip and empty input", () => {
    expect(detectKind(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe("gzip");
    expect(detectKind(Buffer.alloc(0))).toBe("empty");
  });
});

describe("Markdown papers", () => {
  const md = [
    "# Attention Is All You Need",
    "",
    "Ashish Vaswani, Noam Shazeer",
    "",
    "## Abstract",
    "The dominant sequence transduction models...",
    "## 1 Introduction",
    "Recurrent models...",
    "```python",
    "# not a heading",
    "```",
    "### 3.2 Attention",
    "Figure 2: Scaled dot-product attention.",
    "## References",
    "[1] Ba et al. Layer normalization.",
    "[2] Bahdanau et al. Neural machine translation.",
    "## A Appendix: more results",
    "Extra tables.",
  ].join("\n");

  it("splits title, abstract, sections, captions, references and appendix", () => {
    const paper = parsePaperText(md, "paper.md");
    expect(paper.title).toBe("Attention Is All You Need");
    expect(paper.abstract).toBe("The dominant sequence transduction models...");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [2, "1 Introduction"],
      [3, "3.2 Attention"],
    ]);
    expect(paper.sections[0]!.text).toContain("# not a heading");
    expect(paper.captions).toEqual(["Figure 2: Scaled dot-product attention."]);
    expect(paper.references).toHaveLength(2);
    expect(paper.appendix.map((s) => s.heading)).toEqual(["A Appendix: more results"]);
    expect(paper.tokens.total).toBeGreaterThan(10);
    expect(paper.tokens.perSection).toHaveLength(2);
  });

  it("renders clean Markdown for the agents without references or appendix", () => {
    const rendered = renderPaperMarkdown(parsePaperText(md, "paper.md"));
    expect(rendered).toContain("# Attention Is All You Need\n\n## Abstract");
    expect(rendered).toContain("### 1 Introduction");
    expect(rendered).not.toContain("Layer normalization");
    expect(rendered).not.toContain("Extra tables");
  });
});

describe("plain text and PaperCoder JSON", () => {
  it("finds numbered headings in plain text", () => {
    const paper = parsePaperText("My Paper\n\nAbstract\nWe do things.\n\n1 Introduction\nText.\n\n2.1 Model Details\nMore.\n", "p.txt");
    expect(paper.title).toBe("My Paper");
    expect(paper.abstract).toBe("We do things.");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, "1 Introduction"],
      [2, "2.1 Model Details"],
    ]);
  });

  it("reads s2orc-style PaperCoder JSON", () => {
    const json = {
      paper_id: "x",
      title: "Transformer",
      abstract: "We propose.",
      pdf_parse: {
        body_text: [
          { text: "Para 1.", section: "Introduction", sec_num: "1" },
          { text: "Para 2.", section: "Introduction", sec_num: "1" },
          { text: "Attention.", section: "Scaled Dot-Product Attention", sec_num: "3.2.1" },
        ],
        ref_entries: { FIGREF0: { text: "Figure 1: The Transformer" } },
        bib_entries: { BIBREF0: { raw_text: "Ba et al. 2016" } },
      },
    };
    const paper = parsePaperText(JSON.stringify(json), "p.json");
    expect(paper.title).toBe("Transformer");
    expect(paper.sections).toEqual([
      { level: 1, heading: "Introduction", text: "Para 1.\n\nPara 2." },
      { level: 3, heading: "Scaled Dot-Product Attention", text: "Attention." },
    ]);
    expect(paper.captions).toEqual(["Figure 1: The Transformer"]);
    expect(paper.references).toEqual(["Ba et al. 2016"]);
  });
});

describe("bad input fails with a clear UserError", () => {
  const cases: [string, string | Buffer, RegExp, number][] = [
    ["empty.md", "", /empty/, ExitCode.emptyFile],
    ["page.pdf", "<!doctype html><html><body>404</body></html>", /HTML page/, ExitCode.htmlPage],
    ["bad.json", '{"title": ', /does not parse/, ExitCode.badInput],
    ["other.json", '{"hello": 1}', /not a PaperCoder/, ExitCode.badInput],
    ["blob.bin", Buffer.from([1, 2, 0, 3, 4]), /binary/, ExitCode.badInput],
  ];
  for (const [name, content, message, code] of cases) {
    it(name, async () => {
      const error = await loadPaper(await file(name, content)).catch((e) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toMatch(message);
      expect(error.exitCode).toBe(code);
    });
  }
  it("a missing file", async () => {
    const error = await loadPaper("/nonexistent/paper.md").catch((e) => e);
    expect(error.message).toBe("/nonexistent/paper.md: no such file");
    expect(error.exitCode).toBe(ExitCode.notFound);
  });
});
