import { describe, expect, it } from "vitest";
import { collectMacros, expandMacros, findMainFile, flatten, parseLatex, stripComments } from "../../src/paper/latex.js";

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe("LaTeX flattening", () => {
  it("drops comments but keeps escaped percent signs", () => {
    expect(stripComments("a 50\\% rate % a comment\n% whole line\n\\input{x} % trailing")).toBe("a 50\\% rate \n\\input{x} ");
  });

  it("finds the main file among several", () => {
    const files = tree({ "sec/intro.tex": "\\section{Intro}", "paper.tex": "\\documentclass{article}\\begin{document}x\\end{document}" });
    expect(findMainFile(files)).toBe("paper.tex");
  });

  it("resolves \\input, \\include and \\subfile relative to the including file, with or without .tex", () => {
    const files = tree({
      "ms.tex": "\\begin{document}\n\\input{sections/a}\n\\include{b.tex}\n\\end{document}",
      "sections/a.tex": "A text \\input{inner}",
      "sections/inner.tex": "INNER",
      "b.tex": "\\documentclass{subfiles}\\begin{document}B body\\end{document}",
    });
    const warnings: string[] = [];
    const flat = flatten(files, "ms.tex", warnings);
    expect(flat).toContain("A text INNER");
    expect(flat).toContain("B body");
    expect(flat).not.toContain("subfiles");
    expect(warnings).toEqual([]);
  });

  it("does not follow a commented-out \\input, breaks cycles and names missing files", () => {
    const files = tree({
      "ms.tex": "\\begin{document}\n%\\input{gone}\n\\input{a}\n\\input{missing}\n\\end{document}",
      "a.tex": "A \\input{b}",
      "b.tex": "B \\input{a}",
    });
    const warnings: string[] = [];
    const flat = flatten(files, "ms.tex", warnings);
    expect(flat).toContain("A B ");
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/\\input\{a\} would include a\.tex inside itself/);
    expect(warnings[1]).toBe("LaTeX: \\input{missing} not found in the source; its text is missing");
  });

  it("expands macros with arguments", () => {
    const tex = "\\newcommand{\\dmodel}{d_{\\text{model}}}\\newcommand\\mc[1]{\\mathcal{#1}}\\def\\pair#1#2{(#1,#2)}";
    const macros = collectMacros(tex);
    expect(expandMacros("$\\dmodel = 512$, $\\mc{O}(n)$, \\pair{a}{b}", macros)).toBe(
      "$d_{\\text{model}} = 512$, $\\mathcal{O}(n)$, (a,b)",
    );
  });
});

describe("parseLatex", () => {
  const main = [
    "\\documentclass{article}",
    "\\newcommand{\\dk}{d_k}",
    "\\title{A \\textbf{Tiny} Paper\\thanks{funded}}",
    "\\begin{document}",
    "\\maketitle",
    "\\begin{abstract}We study \\emph{tiny} models.\\end{abstract}",
    "\\section{Introduction}\\label{sec:intro}",
    "Scaled by $1/\\sqrt{\\dk}$ as in Eq.~\\ref{eq:1}.",
    "\\begin{figure}\\centering\\includegraphics{f.png}\\caption{The \\emph{model}.}\\end{figure}",
    "\\subsection*{Details}",
    "We use $\\alpha = 0.1$ and 50\\% dropout.",
    "\\begin{thebibliography}{9}",
    "\\bibitem{a} A. Author. \\newblock A paper. {\\em Venue}, 2020.",
    "\\bibitem[B]{b} B. Author. Another, 2021.",
    "\\end{thebibliography}",
    "\\appendix",
    "\\section{Proofs}",
    "Proof text.",
    "\\end{document}",
  ].join("\n");

  it("gives title, abstract, sections with math kept as TeX, captions, references and appendix", () => {
    const paper = parseLatex(tree({ "main.tex": main }), "main.tex");
    expect(paper.title).toBe("A Tiny Paper");
    expect(paper.abstract).toBe("We study tiny models.");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, "Introduction"],
      [2, "Details"],
    ]);
    expect(paper.sections[0]!.text).toContain("Scaled by $1/\\sqrt{d_k}$ as in Eq. \\ref{eq:1}.");
    expect(paper.sections[0]!.text).not.toContain("\\label");
    expect(paper.sections[1]!.text).toBe("We use $\\alpha = 0.1$ and 50% dropout.");
    expect(paper.captions).toEqual(["Figure 1: The model."]);
    expect(paper.references).toEqual(["A. Author. A paper. Venue, 2020.", "B. Author. Another, 2021."]);
    expect(paper.appendix.map((s) => s.heading)).toEqual(["Proofs"]);
  });
});
