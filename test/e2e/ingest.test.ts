import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create as createTar } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { runArgs, runCli } from "../support/cli.js";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { LOREM, makePdf } from "../support/make-pdf.js";
import { startScriptedServer } from "../support/scripted-server.js";

const SECTIONS = [1, 2, 3, 4].map((i) => ({ heading: `${i} Section number ${i}`, text: LOREM.repeat(5) }));
let dir: string;
let work: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p2c-ingest-"));
  work = join(dir, "cwd");
  await mkdir(work);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** A bad input: one line on stderr, the expected exit code, no stack trace, nothing written. */
async function expectRejected(args: string[], code: number, message: RegExp) {
  const r = await runCli(["ingest", ...args], { cwd: work });
  expect(r.code, r.stderr).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe("");
  expect(await readdir(work)).toEqual([]);
  // The same input makes `run` fail the same way before anything is written.
  const run = await runCli(["run", ...args, "--model", "ollama:m", "--checkpointer", join(work, "cp.sqlite")], { cwd: work });
  expect(run.code).toBe(code);
  expect(await readdir(work)).toEqual([]);
}

describe("PDF papers made by the tests", () => {
  it("reads title, headings (from the outline), references; drops the rotated stamp and the running header", async () => {
    const pdf = await file(
      "good.pdf",
      await makePdf({
        title: "A Test Paper About Things",
        sections: SECTIONS,
        outline: true,
        stamp: "arXiv:2401.00001v1 [cs.LG] 1 Jan 2024",
        header: "Under review as a conference paper",
        references: ["A. Author. Paper one. 2020.", "B. Author. Paper two. 2021.", "C. Author. Paper three. 2022."],
      }),
    );
    const r = await runCli(["ingest", pdf, "--json"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const paper = JSON.parse(r.stdout);
    expect(paper.title).toBe("A Test Paper About Things");
    expect(paper.abstract).toBe("We present a method and measure it carefully on small data.");
    expect(paper.sections.map((s: { heading: string }) => s.heading)).toEqual(SECTIONS.map((s) => s.heading));
    expect(paper.references).toEqual([
      "[1] A. Author. Paper one. 2020.",
      "[2] B. Author. Paper two. 2021.",
      "[3] C. Author. Paper three. 2022.",
    ]);
    expect(r.stdout).not.toContain("arXiv:2401");
    expect(r.stdout).not.toContain("Under review");
    expect(paper.warnings.join()).toContain("rotated");
    expect(paper.tokens.total).toBeGreaterThan(300);
  });

  it("asks for the password of an encrypted PDF, says when it is wrong, reads it when right", async () => {
    const pdf = await file("secret.pdf", await makePdf({ title: "Secret Paper Title", sections: SECTIONS, userPassword: "s3cret" }));
    await expectRejected([pdf], ExitCode.passwordRequired, /encrypted; give its password with --password/);
    await expectRejected([pdf, "--password", "nope"], ExitCode.passwordWrong, /wrong password/);
    const r = await runCli(["ingest", pdf, "--password", "s3cret"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("# Secret Paper Title");
  });

  it("a PDF without a text layer suggests the LaTeX source", async () => {
    await expectRejected([await file("scan.pdf", await makePdf({ noText: true }))], ExitCode.noTextLayer, /no text layer .*LaTeX source/);
  });

  it("a truncated PDF is read with a warning", async () => {
    const whole = await makePdf({ title: "A Test Paper About Things", sections: SECTIONS });
    const pdf = await file("cut.pdf", whole.subarray(0, Math.floor(whole.length * 0.8)));
    const r = await runCli(["ingest", pdf], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: the PDF looks truncated/);
    expect(r.stdout).toContain("## 1 Section number 1");
  });
});

describe("a run from a PDF", () => {
  it("reads the PDF in the graph's ingest node and hands the agents its Markdown", async () => {
    const pdf = await file("run.pdf", await makePdf({ title: "A Test Paper About Things", sections: SECTIONS, outline: true }));
    const server = await startScriptedServer(tinyRules());
    try {
      const out = join(dir, "run-from-pdf");
      // The scripted config.yaml is the XOR paper's, whose values this paper does not state: no refiner is scripted.
      const r = await runCli([...runArgs(pdf, "vllm:m", server.baseUrl, out, join(dir, "pdf.sqlite")), "-q", "--refine", "config=0"]);
      expect(r.code, r.stderr).toBe(0);
      const paper = await readFile(join(out, "artifacts", "paper.md"), "utf8");
      expect(paper).toContain("# A Test Paper About Things");
      expect(paper).toContain("## 4 Section number 4");
      expect(server.requests.find((q) => q.rule === "planner")!.task).toContain("# Task: the reproduction plan");
    } finally {
      await server.close();
    }
  });
});

describe("bad input", () => {
  it("an empty file", async () => expectRejected([await file("empty.md", "")], ExitCode.emptyFile, /the file is empty/));
  it("non-PDF bytes named .pdf", async () =>
    expectRejected([await file("fake.pdf", "just some words, not a PDF at all\n")], ExitCode.notAPdf, /fake\.pdf: not a PDF/));
  it("binary junk named .pdf", async () =>
    expectRejected([await file("junk.pdf", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))], ExitCode.notAPdf, /not a PDF/));
  it("an HTML error page saved as .pdf", async () =>
    expectRejected(
      [await file("error.pdf", "<!DOCTYPE html><html><body>403 Forbidden</body></html>")],
      ExitCode.htmlPage,
      /HTML page, not a paper/,
    ));
  it("a file that does not exist", async () => expectRejected([join(dir, "missing.pdf")], ExitCode.notFound, /missing\.pdf: no such file/));
  it("a directory with no paper in it", async () => {
    const empty = join(dir, "nothing");
    await mkdir(empty);
    await writeFile(join(empty, "notes.csv"), "a,b\n");
    await expectRejected([empty], ExitCode.noPaperInDirectory, /no paper in this folder/);
  });
});

describe("LaTeX sources", () => {
  const MAIN =
    "\\documentclass{article}\\title{Tiny \\LaTeX{} Paper}\\begin{document}\\maketitle\n\\begin{abstract}An abstract.\\end{abstract}\n\\section{Intro}\\input{sections/intro}\n\\section{Method}\\input{sections/method}\n\\input{sections/missing}\n\\end{document}\n";

  async function tree(root: string) {
    await mkdir(join(root, "sections"), { recursive: true });
    await writeFile(join(root, "ms.tex"), MAIN);
    await writeFile(join(root, "sections", "intro.tex"), "Intro text with $x^2$.\n");
    await writeFile(join(root, "sections", "method.tex"), "\\subsection{Loss}Method text.\n");
  }

  it("a folder: resolves \\input, warns about the missing one by name", async () => {
    const root = join(dir, "latex");
    await tree(root);
    const r = await runCli(["ingest", root, "--json"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const paper = JSON.parse(r.stdout);
    expect(paper.sections.map((s: { heading: string }) => s.heading)).toEqual(["Intro", "Method", "Loss"]);
    expect(paper.sections[0].text).toBe("Intro text with $x^2$.");
    expect(r.stderr).toContain("warning: LaTeX: \\input{sections/missing} not found in the source; its text is missing");
  });

  it("a .tar.gz made from the same tree gives the same paper; LaTeX wins over a PDF given beside it", async () => {
    const root = join(dir, "latex-tar");
    await tree(root);
    const archive = join(dir, "source.tar.gz");
    await createTar({ gzip: true, file: archive, cwd: root }, ["ms.tex", "sections"]);
    const pdf = await file("same.pdf", await makePdf({ title: "The PDF version", sections: SECTIONS }));
    const r = await runCli(["ingest", pdf, archive, "--json"], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    const paper = JSON.parse(r.stdout);
    expect(paper.title).toBe("Tiny LaTeX Paper");
    expect(paper.sections.map((s: { heading: string }) => s.heading)).toEqual(["Intro", "Method", "Loss"]);
    expect(paper.warnings.join("\n")).toMatch(/same\.pdf not used \(LaTeX is preferred over PDF\)/);
  });
});
