import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { makeVitLikePdf } from "../support/make-vit-pdf.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p2c-pdf-structure-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function ingest(name: string, pdf: Buffer) {
  const path = join(dir, name);
  await writeFile(path, pdf);
  const json = await runCli(["ingest", path, "--json"]);
  expect(json.code, json.stderr).toBe(0);
  const markdown = await runCli(["ingest", path]);
  expect(markdown.code, markdown.stderr).toBe(0);
  return { paper: JSON.parse(json.stdout), markdown: markdown.stdout, stderr: markdown.stderr };
}

describe("a PDF with no outline and no References heading (set like an ICLR paper)", () => {
  for (const referencesHeading of ["none", "plain"] as const) {
    it(`references heading ${referencesHeading}: references split off the conclusion, appendix A and B kept apart`, async () => {
      const { paper, markdown, stderr } = await ingest(`vit-${referencesHeading}.pdf`, await makeVitLikePdf({ referencesHeading }));
      expect(paper.sections.map((s: { heading: string }) => s.heading)).toEqual([
        "1 Introduction",
        "2 Method",
        "3 Experiments",
        "4 Conclusion",
      ]);
      const conclusion = paper.sections.at(-1).text as string;
      expect(conclusion).toContain("many challenges remain.");
      expect(conclusion).not.toContain("Abnar");
      expect(paper.references.length).toBeGreaterThanOrEqual(8);
      expect(paper.references[0]).toMatch(/^Samira Abnar and Willem Zuidema/);
      expect(paper.appendix.map((s: { heading: string }) => s.heading)).toEqual(["A Multihead Self-Attention", "B Experiment Details"]);
      expect(markdown).toMatch(/# Appendix \(supplementary material\)[\s\S]*## A Multihead Self-Attention[\s\S]*dropout of 0\.1/);
      expect(markdown).not.toContain("Quantifying attention flow");
      if (referencesHeading === "none") expect(paper.warnings.join("\n")).toMatch(/found the references by their form/);
      expect(stderr).toMatch(/sent to the agents: [\d,]+ tokens \(main text [\d,]+, appendix [\d,]+ in 2 sections\)/);
    });
  }

  it("joins the accent drawn over its letter, rebuilds the table under its caption, and keeps the foot of the page out of the paragraphs", async () => {
    const { paper, markdown } = await ingest("vit-layout.pdf", await makeVitLikePdf());
    expect(markdown).toContain("ETH Zürich");
    expect(markdown).not.toMatch(/[¨´ˆ˜¸ˇ˘˙˚¯]/);
    expect(markdown).toContain(
      [
        "Table 1 (rows and columns rebuilt from the PDF layout):",
        "",
        "| Model | Layers | Hidden size D | MLP size | Heads | Params |",
        "| --- | --- | --- | --- | --- | --- |",
        "| ViT-Base | 12 | 768 | 3072 | 12 | 86M |",
        "| ViT-Large | 24 | 1024 | 4096 | 16 | 307M |",
        "| ViT-Huge | 32 | 1280 | 5120 | 16 | 632M |",
      ].join("\n"),
    );
    const method = paper.sections.find((s: { heading: string }) => s.heading === "2 Method").text as string;
    // The paragraph after the table is its own, not glued to the footnote or the venue line.
    expect(method).toMatch(
      /We use a patch size of 16 for all variants, and a resolution of 224 for pre-training\.\n\n\[Footnote 1\] Fine-tuning code/,
    );
    expect(markdown).not.toMatch(/pre-training\. (1 )?Fine-tuning code/);
    expect(paper.warnings.join("\n")).toMatch(/rebuilt 1 table\(s\)/);
  });
});
