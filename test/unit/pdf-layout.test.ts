import { describe, expect, it } from "vitest";
import { buildLines, cleanText, joinLines, layoutPdf, orderPage, referenceEntries, removeRunningLines, type Line } from "../../src/paper/pdf/layout.js";
import type { PdfItem, PdfPage, RawPdf } from "../../src/paper/pdf/types.js";

const item = (text: string, x: number, y: number, size = 10, bold = false): PdfItem => ({ text, x, y, width: text.length * size * 0.5, size, bold });
const page = (items: PdfItem[]): PdfPage => ({ width: 612, height: 792, items, rotatedDropped: 0 });

describe("line building and reading order", () => {
  it("joins items on one baseline and splits at a column gutter", () => {
    const lines = buildLines(page([item("Left", 72, 700), item("column", 96, 700.5), item("Right column", 320, 700)]), 0);
    expect(lines.map((l) => l.text)).toEqual(["Left column", "Right column"]);
  });

  it("reads a two-column page left column first, with full-width lines in place", () => {
    const items: PdfItem[] = [item("A Full Width Title Line Spanning Both Columns Of The Page", 100, 750, 12)];
    for (let i = 0; i < 6; i++) {
      items.push(item(`left ${i}`, 72, 700 - i * 12));
      items.push(item(`right ${i}`, 320, 700 - i * 12));
    }
    const ordered = orderPage(buildLines(page(items), 0), 612).map((l) => l.text);
    expect(ordered[0]).toContain("Full Width");
    expect(ordered.slice(1, 7)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `left ${i}`));
    expect(ordered.slice(7)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `right ${i}`));
  });
});

describe("clean-up", () => {
  const line = (text: string, y: number, pageIndex = 0): Line => ({ text, x: 72, right: 540, y, size: 10, bold: false, page: pageIndex, column: 0 });

  it("de-hyphenates across line breaks and keeps real hyphens", () => {
    expect(joinLines([line("the attention mecha-", 700), line("nism is state-of-the-", 688), line("Art work", 676)])).toBe(
      "the attention mechanism is state-of-the- Art work",
    );
  });

  it("removes ligatures and control characters", () => {
    expect(cleanText("ﬁne\u0007 tuning\u00ad")).toBe("fine tuning");
  });

  it("drops running headers and page numbers that repeat near the page edge", () => {
    const pages = [0, 1, 2, 3].map((p) => [line("Under review as a conference paper", 760, p), line(`body ${p}`, 400, p), line(String(p + 1), 30, p)]);
    const { pages: kept, removed } = removeRunningLines(pages, [792, 792, 792, 792]);
    expect(kept.flat().map((l) => l.text)).toEqual(["body 0", "body 1", "body 2", "body 3"]);
    expect(removed).toBe(8);
  });

  it("splits numbered references", () => {
    const refs = [line("[1] A. Author. A long title that", 700), line("wraps onto a second line. 2020.", 688), line("[2] B. Author. Short. 2021.", 676), line("[3] C. Author. Third. 2022.", 664)];
    expect(referenceEntries(refs)).toEqual(["[1] A. Author. A long title that wraps onto a second line. 2020.", "[2] B. Author. Short. 2021.", "[3] C. Author. Third. 2022."]);
  });
});

describe("layoutPdf", () => {
  const body = (y: number, text = "Body text of the paper that goes on for a while and carries the method.") => item(text, 72, y);
  const pdf = (outline: RawPdf["outline"]): RawPdf => ({
    metaTitle: "",
    outline,
    warnings: [],
    pages: [
      page([
        item("A Study of Things", 150, 700, 18),
        item("Abstract", 72, 640, 10, true),
        body(628, "We study things carefully."),
        item("1 Introduction", 72, 600, 12, true),
        body(588),
        item("2 Method", 72, 560, 12, true),
        body(548),
        item("2.1 Details", 72, 520, 10, true),
        body(508),
        item("References", 72, 480, 12, true),
        item("[1] A. Author. Paper. 2020.", 72, 468),
        item("[2] B. Author. Paper. 2021.", 72, 456),
      ]),
    ],
  });

  it("finds title, abstract and headings from fonts when there is no outline", () => {
    const paper = layoutPdf(pdf([]), "x.pdf");
    expect(paper.title).toBe("A Study of Things");
    expect(paper.abstract).toBe("We study things carefully.");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, "1 Introduction"],
      [1, "2 Method"],
      [2, "2.1 Details"],
    ]);
    expect(paper.references).toHaveLength(2);
  });

  it("takes headings and levels from the outline when there is one", () => {
    const paper = layoutPdf(pdf([{ title: "Introduction", level: 1 }, { title: "Method", level: 1 }, { title: "Details", level: 2 }]), "x.pdf");
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, "1 Introduction"],
      [1, "2 Method"],
      [2, "2.1 Details"],
    ]);
  });
});
