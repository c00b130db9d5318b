import { describe, expect, it } from "vitest";
import { fitPaperToBudget } from "../../src/paper/budget.js";
import { finishPaper } from "../../src/paper/load.js";
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
  appendix: [{ level: 1, heading: "A Proofs", text: words(1000, "proof") }],
  captions: [],
  references: ["[1] A reference."],
  warnings: [],
  source: { kind: "markdown", path: "x.md" },
});

describe("fitPaperToBudget", () => {
  it("changes nothing when the paper fits", () => {
    const fitted = fitPaperToBudget(paper, 100_000);
    expect(fitted.dropped).toEqual([]);
    expect(fitted.markdown).toContain("## Abstract");
    expect(fitted.markdown).not.toContain("A reference");
  });

  it("drops the appendix first, then low-priority sections from the end, naming each", () => {
    const full = countTokens(fitPaperToBudget(paper, 1e9, { includeAppendix: true }).markdown);
    const fitted = fitPaperToBudget(paper, full - 1000 - 250, { includeAppendix: true });
    expect(fitted.dropped).toEqual(["the appendix (1 sections)", 'section "4 Conclusion"', 'section "2 Related Work"']);
    expect(fitted.markdown).toContain("## 3 Method");
    expect(fitted.tokens).toBeLessThanOrEqual(full - 1250);
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
