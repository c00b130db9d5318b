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
    expect(paper.tokens.perSection.map((s) => s.part)).toEqual(["main", "main", "appendix"]);
  });

  it("renders clean Markdown for the agents without references, the appendix last under its marker", () => {
    const rendered = renderPaperMarkdown(parsePaperText(md, "paper.md"));
    expect(rendered).toContain("# Attention Is All You Need\n\n## Abstract");
    expect(rendered).toContain("### 1 Introduction");
    expect(rendered).not.toContain("Layer normalization");
    expect(rendered).toMatch(/# Appendix \(supplementary material\)\n\n[^\n]+\n\n### A Appendix: more results\n\nExtra tables/);
    expect(renderPaperMarkdown(parsePaperText(md, "paper.md"), { includeAppendix: false })).not.toContain("Extra tables");
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

describe("Markdown conversions with one heading level (MinerU)", () => {
  const mineru = [
    "# A Study of Outliers",
    "# Abstract",
    "We study outliers.",
    "# 1. Introduction",
    "Intro.",
    "# 2. Method",
    "Method.",
    "# 2.1. Scoring",
    "Scores.",
    "# 2.1.1. Isolation forest",
    "Trees.",
    "# Algorithm 1 Training",
    "Steps.",
    "# 3. Experiments",
    "Runs.",
    "# Acknowledgements",
    "Thanks.",
    "# References",
    "Smith, J. A paper. 2020.",
    "",
    "Doe, J. Another paper. 2021.",
    "# A. Prompts",
    "Prompt text.",
    "# B. Hyperparameters",
    "top-p 0.9",
    "# B.2. Per-dataset settings",
    "max new tokens 64",
    "# I.2.1 Responses",
    "7-10 responses",
    "# NeurIPS Paper Checklist",
    "The checklist is designed to encourage best practices.",
    "# 1. Claims",
    "Question: Do the main claims...? Answer: [Yes]",
    "# 2. Limitations",
    "Answer: [Yes]",
  ].join("\n");

  it("takes heading levels from the numbering, appendix parts after the references, the checklist apart", () => {
    const paper = parsePaperText(mineru, "paper.md");
    expect(paper.title).toBe("A Study of Outliers");
    expect(paper.abstract).toBe("We study outliers.");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, "1. Introduction"],
      [1, "2. Method"],
      [2, "2.1. Scoring"],
      [3, "2.1.1. Isolation forest"],
      [4, "Algorithm 1 Training"],
      [1, "3. Experiments"],
      [1, "Acknowledgements"],
    ]);
    expect(paper.references).toHaveLength(2);
    expect(paper.appendix.map((s) => [s.level, s.heading])).toEqual([
      [1, "A. Prompts"],
      [1, "B. Hyperparameters"],
      [2, "B.2. Per-dataset settings"],
      [3, "I.2.1 Responses"],
    ]);
    expect(paper.boilerplate.map((s) => s.heading)).toEqual(["NeurIPS Paper Checklist", "1. Claims", "2. Limitations"]);
    expect(paper.warnings.join(" ")).toMatch(/set apart, not sent to the agents: NeurIPS Paper Checklist \(3 section/);
    expect(paper.tokens.appendix).toBeGreaterThan(0);
    expect(paper.tokens.total).toBe(paper.tokens.main + paper.tokens.appendix);
    const markdown = renderPaperMarkdown(paper);
    expect(markdown).toContain("#### 2.1.1. Isolation forest");
    expect(markdown).toContain("## B. Hyperparameters\n\ntop-p 0.9");
    expect(markdown).not.toContain("Question: Do the main claims");
  });

  it("leaves headings with their own levels alone", () => {
    const paper = parsePaperText("# T\n\n## 1 Intro\n\nA.\n\n## 2 Method\n\nB.\n\n### Details\n\nC.\n", "p.md");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [2, "1 Intro"],
      [2, "2 Method"],
      [3, "Details"],
    ]);
  });

  it("keeps a checklist apart when the appendix follows it", () => {
    const paper = parsePaperText(
      "# T\n\n## 1 Intro\n\nA.\n\n## References\n\n[1] X.\n\n## Checklist\n\n1. For all authors...\n\n## A Details\n\nlr 0.1\n",
      "p.md",
    );
    expect(paper.boilerplate.map((s) => s.heading)).toEqual(["Checklist"]);
    expect(paper.appendix.map((s) => s.heading)).toEqual(["A Details"]);
  });
});
