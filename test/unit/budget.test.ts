import { describe, expect, it } from "vitest";
import { appendixRelevance, describeFit, fitPaperToBudget } from "../../src/paper/budget.js";
import { finishPaper } from "../../src/paper/load.js";
import { APPENDIX_MARKER } from "../../src/paper/render.js";
import { countTokens } from "../../src/tokens.js";

const words = (n: number, word: string) => Array.from({ length: n }, () => word).join(" ");
const paper = finishPaper({
  title: "Long Paper",
  abstract: "We do things.",
  sections: [
    { level: 1, heading: "1 Introduction", text: words(300, "intro") },
    { level: 1, heading: "2 Related Work", text: words(400, "related") },
    { level: 1, heading: "3 Method", text: words(2000, "method") },
    { level: 1, heading: "4 Conclusion", text: words(200, "conclusion") },
  ],
  appendix: [
    { level: 1, heading: "A Proofs", text: words(1000, "proof") },
    { level: 1, heading: "B Hyperparameters", text: `We use a learning rate of 0.0003 and top-p 0.9. ${words(300, "setting")}` },
    { level: 1, heading: "C Further Analysis", text: words(500, "analysis") },
  ],
  captions: [],
  references: ["[1] A reference."],
  warnings: [],
  source: { kind: "markdown", path: "x.md" },
});
const full = countTokens(fitPaperToBudget(paper, 1e9).markdown);

describe("fitPaperToBudget", () => {
  it("sends the appendix, marked as such, when the whole paper fits; never the references", () => {
    const fitted = fitPaperToBudget(paper, 100_000);
    expect(fitted.dropped).toEqual([]);
    expect(fitted.markdown).toContain("## Abstract");
    expect(fitted.markdown).toContain(`${APPENDIX_MARKER}\n`);
    expect(fitted.markdown.indexOf(APPENDIX_MARKER)).toBeGreaterThan(fitted.markdown.indexOf("## 4 Conclusion"));
    expect(fitted.markdown).toContain("## B Hyperparameters\n\nWe use a learning rate of 0.0003");
    expect(fitted.markdown).not.toContain("A reference");
    expect(fitted.sent.appendixSections).toBe(3);
    expect(fitted.sent.main + fitted.sent.appendix).toBeGreaterThan(0.97 * fitted.tokens);
    expect(describeFit(paper, fitted, 100_000)).toEqual([]);
  });

  it("leaves the appendix out on request, and says so", () => {
    const fitted = fitPaperToBudget(paper, 100_000, { includeAppendix: false });
    expect(fitted.markdown).not.toContain(APPENDIX_MARKER);
    expect(fitted.markdown).not.toContain("proof proof");
    expect(fitted.sent.appendix).toBe(0);
    expect(describeFit(paper, fitted, 100_000)).toEqual([
      expect.stringMatching(/^the appendix \(3 sections, [\d,]+ tokens\) is left out \(--no-appendix\)$/),
    ]);
  });

  it("drops proofs first, then low-priority main sections from the end, keeping the hyperparameter appendix longest", () => {
    const fitted = fitPaperToBudget(paper, full - 1000 - 250);
    expect(fitted.dropped).toEqual(['appendix section "A Proofs"', 'section "4 Conclusion"', 'section "2 Related Work"']);
    expect(fitted.markdown).toContain("## 3 Method");
    expect(fitted.markdown).toContain("## B Hyperparameters");
    expect(fitted.tokens).toBeLessThanOrEqual(full - 1250);
    const tighter = fitPaperToBudget(paper, full - 1000 - 600 - 500);
    expect(tighter.dropped.slice(0, 4)).toEqual([
      'appendix section "A Proofs"',
      'section "4 Conclusion"',
      'section "2 Related Work"',
      'appendix section "C Further Analysis"',
    ]);
    expect(tighter.markdown).toContain("## B Hyperparameters");
    expect(describeFit(paper, tighter, full - 2100)[0]).toMatch(
      /exceeds the budget of [\d,]+ tokens; left out: appendix section "A Proofs", section "4 Conclusion"/,
    );
  });

  it("shortens the longest section, marked, when dropping is not enough, and is deterministic", () => {
    const a = fitPaperToBudget(paper, 1500);
    const b = fitPaperToBudget(paper, 1500);
    expect(a).toEqual(b);
    expect(a.tokens).toBeLessThanOrEqual(1500);
    expect(a.dropped).toContain('the second half of "3 Method"');
    expect(a.markdown).toContain("[… paper2code shortened this section");
  });
});

describe("appendixRelevance", () => {
  const s = (heading: string, text = "Some words about it.") => ({ level: 1, heading, text });
  it.each([
    ["D. Hyperparameters", 2],
    ["B.1. General Setup", 2],
    ["I.1 Prompt templates", 2],
    ["A. Omitted Proof", 0],
    ["C. Additional Experiments", 0],
    ["E. Qualitative examples", 0],
    ["F. Miscellaneous", 1],
  ])("%s: %i", (heading, expected) => {
    expect(appendixRelevance(s(heading))).toBe(expected);
  });
  it("a child inherits its parent's relevance; a part dense in numbers counts as needed", () => {
    expect(appendixRelevance(s("B.3 Learning rate sweep"), s("B. Experimental details"))).toBe(2);
    expect(appendixRelevance(s("C.1 Hallucination"), s("C. Additional Experiments"))).toBe(0);
    expect(appendixRelevance(s("F. Miscellaneous", "lr 0.1, 0.01, 0.001; batch 32, 64, 128; steps 1000, 2000; seeds 1, 2, 3"))).toBe(2);
  });
});
