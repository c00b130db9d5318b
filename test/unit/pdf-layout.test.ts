import { describe, expect, it } from "vitest";
import {
  buildLines,
  cleanText,
  joinLines,
  layoutPdf,
  markFootnotes,
  orderPage,
  referenceEntries,
  referencesStart,
  removeRunningLines,
  type Line,
} from "../../src/paper/pdf/layout.js";
import type { PdfItem, PdfPage, RawPdf } from "../../src/paper/pdf/types.js";

const item = (text: string, x: number, y: number, size = 10, bold = false): PdfItem => ({
  text,
  x,
  y,
  width: text.length * size * 0.5,
  size,
  bold,
});
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
  const line = (text: string, y: number, pageIndex = 0): Line => ({
    text,
    x: 72,
    right: 540,
    y,
    size: 10,
    bold: false,
    page: pageIndex,
    column: 0,
  });

  it("de-hyphenates across line breaks and keeps real hyphens", () => {
    expect(joinLines([line("the attention mecha-", 700), line("nism is state-of-the-", 688), line("Art work", 676)])).toBe(
      "the attention mechanism is state-of-the- Art work",
    );
  });

  it("removes ligatures and control characters", () => {
    expect(cleanText("ﬁne\u0007 tuning\u00ad")).toBe("fine tuning");
  });

  it("drops running headers and page numbers that repeat near the page edge", () => {
    const pages = [0, 1, 2, 3].map((p) => [
      line("Under review as a conference paper", 760, p),
      line(`body ${p}`, 400, p),
      line(String(p + 1), 30, p),
    ]);
    const { pages: kept, removed } = removeRunningLines(pages, [792, 792, 792, 792]);
    expect(kept.flat().map((l) => l.text)).toEqual(["body 0", "body 1", "body 2", "body 3"]);
    expect(removed).toBe(8);
  });

  it("splits numbered references", () => {
    const refs = [
      line("[1] A. Author. A long title that", 700),
      line("wraps onto a second line. 2020.", 688),
      line("[2] B. Author. Short. 2021.", 676),
      line("[3] C. Author. Third. 2022.", 664),
    ];
    expect(referenceEntries(refs)).toEqual([
      "[1] A. Author. A long title that wraps onto a second line. 2020.",
      "[2] B. Author. Short. 2021.",
      "[3] C. Author. Third. 2022.",
    ]);
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
    const paper = layoutPdf(
      pdf([
        { title: "Introduction", level: 1 },
        { title: "Method", level: 1 },
        { title: "Details", level: 2 },
      ]),
      "x.pdf",
    );
    expect(paper.sections.map((s) => [s.level, s.heading])).toEqual([
      [1, "1 Introduction"],
      [1, "2 Method"],
      [2, "2.1 Details"],
    ]);
  });
});

describe("glyphs: scripts and accents", () => {
  const at = (text: string, x: number, y: number, size = 10, width?: number): PdfItem => ({
    text,
    x,
    y,
    width: width ?? text.length * size * 0.5,
    size,
    bold: false,
  });

  it("joins subscripts, superscripts and small capitals to what they follow", async () => {
    const { attachScripts } = await import("../../src/paper/pdf/glyphs.js");
    const items = [
      at("d", 100, 700, 10, 5),
      at("model", 105, 698.5, 7),
      at("10", 200, 700, 10, 10),
      at("6", 210, 703.5, 7),
      at("R", 300, 700, 10, 6),
      at("EFERENCES", 306, 700, 8),
    ];
    expect(attachScripts(items).map((i) => i.text)).toEqual(["d_model", "10^6", "REFERENCES"]);
    // A superscript set as two items ("−", "9") is one group.
    expect(attachScripts([at("10", 100, 700, 10, 10), at("−", 110, 704, 7, 4), at("9", 114, 704, 7, 3.5)]).map((i) => i.text)).toEqual([
      "10^{−9}",
    ]);
  });

  it("leaves a footnote mark at the start of a line, and same-size words, alone", async () => {
    const { attachScripts } = await import("../../src/paper/pdf/glyphs.js");
    const items = [at("5", 72, 103, 6), at("We used values", 76, 100, 8), at("plain", 200, 700, 10, 25), at("text", 227, 700, 10)];
    expect(attachScripts(items).map((i) => i.text)).toEqual(["5", "We used values", "plain", "text"]);
  });

  it("puts accents drawn as their own glyphs on their letter, and composes accents in a string (NFC)", async () => {
    const { attachScripts, composeAccents } = await import("../../src/paper/pdf/glyphs.js");
    expect(composeAccents("ETH Z¨urich, Universit´e de Montr´eal, Sch¨olkopf, c¸a")).toBe(
      "ETH Zürich, Université de Montréal, Schölkopf, ça",
    );
    expect(composeAccents("Zu\u0308rich")).toBe("Zürich");
    expect(composeAccents("x¯L and δ¯")).toBe("x¯L and δ¯"); // nothing to compose with: left as it is
    const [s] = attachScripts([at("s", 307.3, 591.4, 10.9, 5.1), at("ˆ", 311.9 - 3.5, 591.4, 10.9, 5.5)]);
    expect(s!.text).toBe("ŝ");
  });

  it("cleanText composes accents", () => {
    expect(cleanText("Z¨urich")).toBe("Zürich");
  });
});

describe("tables rebuilt from positioned text", () => {
  const at = (text: string, x: number, y: number, size = 10): PdfItem => ({
    text,
    x,
    y,
    width: text.length * size * 0.5,
    size,
    bold: false,
  });
  const caption = [
    at("Table 3: Variations on the architecture. Unlisted values are identical to those of the base", 108, 713),
    at("model; all metrics on the development set.", 108, 702),
  ];
  const header = [at("N", 146, 680), at("d_model", 167, 680), at("train steps", 240, 680), at("BLEU", 320, 680)];
  const rows = [
    [at("base", 110, 668), at("6", 148, 668), at("512", 171, 668), at("100K", 250, 668), at("25.8", 322, 668)],
    [at("big", 110, 656), at("6", 148, 656), at("1024", 169, 656), at("300K", 250, 656), at("26.4", 322, 656)],
    [at("(A)", 110, 644), at("16", 146, 644), at("4.91", 322, 644)],
  ].flat();
  const prose = [at("Body text goes on below the table with a long sentence that has many words in it.", 108, 610)];
  const tablePage = (items: PdfItem[]): PdfPage => ({ width: 612, height: 792, items, rotatedDropped: 0 });

  it("emits a Markdown table under its caption: header per column, each value in its row, prose left out", async () => {
    const { extractTables } = await import("../../src/paper/pdf/tables.js");
    const { items, tables } = extractTables(tablePage([...caption, ...header, ...rows, ...prose]), false);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.layout).toBe("markdown");
    expect(tables[0]!.text).toBe(
      [
        "Table 3 (rows and columns rebuilt from the PDF layout):",
        "",
        "|  | N | d_model | train steps | BLEU |",
        "| --- | --- | --- | --- | --- |",
        "| base | 6 | 512 | 100K | 25.8 |",
        "| big | 6 | 1024 | 300K | 26.4 |",
        "| (A) | 16 |  |  | 4.91 |",
      ].join("\n"),
    );
    expect(items.map((i) => i.text)).toEqual([...caption, ...prose].map((i) => i.text));
  });

  it("finds the rows above a caption set below its table", async () => {
    const { extractTables } = await import("../../src/paper/pdf/tables.js");
    const below = [at("Table 1. Architectures for ImageNet.", 108, 625)];
    const { tables } = extractTables(tablePage([...header, ...rows, ...below]), false);
    expect(tables.map((t) => t.label)).toEqual(["Table 1"]);
    expect(tables[0]!.text).toContain("| big | 6 | 1024 | 300K | 26.4 |");
  });

  it("finds no table where a caption has only prose beside it", async () => {
    const { extractTables } = await import("../../src/paper/pdf/tables.js");
    const { tables, items } = extractTables(tablePage([...caption, ...prose]), false);
    expect(tables).toEqual([]);
    expect(items).toHaveLength(3);
  });
});

describe("footnotes and references without a heading", () => {
  const line = (text: string, y: number, size = 10, column = 0): Line => ({
    text,
    x: 72,
    right: 540,
    y,
    size,
    bold: false,
    page: 0,
    column,
  });

  it("marks the small lines at the foot of a column, starting with a mark, and keeps a caption's lines", () => {
    const page = [
      line("Body text of the paper.", 400),
      line("More body text ends here.", 388),
      line("5 We used values of 2.8 TFLOPS.", 90, 8),
      line("31st Conference on Neural Information Processing Systems.", 80, 8),
    ];
    const captionPage = [line("Body text.", 400), line("Figure 2: A caption that wraps", 100, 9), line("onto a second line.", 90, 9)];
    expect(markFootnotes([page, captionPage], [792, 792], 10)).toBe(2);
    expect(page.map((l) => l.footnote ?? false)).toEqual([false, false, true, true]);
    expect(captionPage.some((l) => l.footnote)).toBe(false);
  });

  it("finds where a references list starts by its form, not in prose that cites", () => {
    const prose = [
      "5 Conclusion",
      "We have explored the direct application of Transformers (Vaswani et al., 2017) to image",
      "recognition, as in prior work (Dosovitskiy et al., 2020; Carion et al., 2020) and beyond.",
      "While these initial results are encouraging, many challenges remain.",
    ];
    const refs = [
      "Samira Abnar and Willem Zuidema. Quantifying attention flow in transformers. In ACL, 2020.",
      "Philip Bachman, R Devon Hjelm, and William Buchwalter. Learning representations by maximizing",
      "mutual information across views. In NeurIPS, 2019.",
      "Alexei Baevski and Michael Auli. Adaptive input representations for neural language modeling. In",
      "ICLR, 2019.",
      "Bello, I., Zoph, B., Le, Q., Vaswani, A., and Shlens, J. Attention augmented convolutional",
      "networks. In ICCV, 2019.",
      "Beyer, L., Hénaff, O. J., Kolesnikov, A., Zhai, X., and van den Oord, A. Are we done with",
      "ImageNet? arXiv, 2020.",
      "Brown, T. B., Mann, B., Ryder, N., et al. Language models are few-shot learners. arXiv, 2020.",
      "Carion, N., Massa, F., Synnaeve, G., et al. End-to-end object detection with transformers. In",
      "ECCV, 2020.",
      "Chen, M., Radford, A., Child, R., et al. Generative pretraining from pixels. In ICML, 2020.",
    ];
    const lines = [...prose, ...refs].map((t, i) => line(t, 700 - 12 * i));
    expect(referencesStart(lines)).toBe(prose.length);
    expect(referencesStart(lines.slice(0, prose.length + 3))).toBeUndefined();
  });
});
