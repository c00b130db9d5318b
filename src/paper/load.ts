import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import { ExitCode, UserError } from "../errors.js";
import { countTokens } from "../tokens.js";
import { readTarSources, SOURCE_FILE } from "./archive.js";
import { parseLatex, type TexFiles } from "./latex.js";
import { parseMarkdown } from "./markdown.js";
import { parsePaperCoderJson } from "./papercoder-json.js";
import { layoutPdf } from "./pdf/layout.js";
import { readPdf, type PdfLimits } from "./pdf/read.js";
import { repairTruncatedPdf } from "./pdf/repair.js";
import { parsePlainText } from "./text.js";
import { separateBoilerplate } from "./structure.js";
import type { Paper, PaperDraft, PaperKind, PaperPart, PaperSection } from "./types.js";

export type DetectedKind = PaperKind | "html" | "gzip" | "tar" | "binary" | "empty";

export type LoadOptions = PdfLimits;

/** Decide what a file is from its bytes; the extension is only a tie-breaker between text formats. */
export function detectKind(bytes: Uint8Array, name = ""): DetectedKind {
  if (bytes.length === 0) return "empty";
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (head.trimStart().startsWith("%PDF-")) return "pdf";
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  if (bytes.length > 262 && Buffer.from(bytes.subarray(257, 262)).toString("latin1") === "ustar") return "tar";
  const sample = Buffer.from(bytes.subarray(0, 8192));
  if (sample.includes(0)) return "binary";
  const text = sample
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (/^<(!doctype html|html|head|body)\b/i.test(text)) return "html";
  if (text.startsWith("{")) return "papercoder-json";
  if (/\\(documentclass|begin\{document\}|section\*?\{|input\{)/.test(text)) return "latex";
  if (/^#{1,6}\s+\S/m.test(text) || /\.(md|markdown)$/i.test(name)) return "markdown";
  return "text";
}

/** Set boilerplate apart and count tokens: what every loader's draft goes through last. */
export function finishPaper(draft: PaperDraft): Paper {
  const main = separateBoilerplate(draft.sections);
  const appendix = separateBoilerplate(draft.appendix);
  const boilerplate = [...main.boilerplate, ...appendix.boilerplate];
  const count = (s: PaperSection) => countTokens(`${s.heading}\n${s.text}`);
  const perSection = [
    ...main.content.map((s) => ({ heading: s.heading, tokens: count(s), part: "main" as const })),
    ...appendix.content.map((s) => ({ heading: s.heading, tokens: count(s), part: "appendix" as const })),
  ];
  const sum = (part: PaperPart) => perSection.filter((s) => s.part === part).reduce((n, s) => n + s.tokens, 0);
  const mainTokens = countTokens(draft.title) + countTokens(draft.abstract) + sum("main");
  const appendixTokens = sum("appendix");
  const warnings = [...draft.warnings];
  if (boilerplate.length)
    warnings.push(`set apart, not sent to the agents: ${boilerplate[0]!.heading} (${boilerplate.length} section(s) of forms, not content)`);
  return {
    ...draft,
    sections: main.content,
    appendix: appendix.content,
    boilerplate,
    warnings,
    tokens: { total: mainTokens + appendixTokens, main: mainTokens, appendix: appendixTokens, perSection },
  };
}

/** Parse paper text already in memory (used by Studio runs where the user pastes a paper). */
export function parsePaperText(text: string, name = "pasted paper"): Paper {
  const kind = detectKind(Buffer.from(text, "utf8"), name);
  if (kind === "latex") return finishPaper(parseLatex(new Map([["paper.tex", text]]), name));
  return finishPaper(parseTextKind(kind, text, name));
}

function parseTextKind(kind: DetectedKind, text: string, path: string): PaperDraft {
  switch (kind) {
    case "markdown":
      return parseMarkdown(text, path);
    case "text":
      return parsePlainText(text, path);
    case "papercoder-json": {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new UserError(`${path}: starts like JSON but does not parse (${(error as Error).message})`, ExitCode.badInput);
      }
      return parsePaperCoderJson(value, path);
    }
    default:
      throw new UserError(`${path}: cannot read this kind of file (${kind})`, ExitCode.badInput);
  }
}

const PAPER_FILE = /\.(pdf|md|markdown|txt|json|tex|tar|tgz|gz)$/i;

async function walk(dir: string, depth = 0, out: string[] = []): Promise<string[]> {
  if (depth > 5 || out.length > 5000) return out;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, depth + 1, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

async function texTreeFrom(dir: string, files: string[]): Promise<TexFiles> {
  const tree: TexFiles = new Map();
  for (const file of files.filter((f) => SOURCE_FILE.test(f))) {
    tree.set(relative(dir, file).split(sep).join("/"), await readFile(file, "utf8"));
  }
  return tree;
}

/** A directory: a LaTeX source tree when it has .tex files, else its one paper file. */
async function loadDirectory(dir: string, options: LoadOptions): Promise<PaperDraft> {
  const files = await walk(dir);
  if (files.some((f) => f.endsWith(".tex"))) {
    const draft = parseLatex(await texTreeFrom(dir, files), dir);
    const pdfs = files.filter((f) => /\.pdf$/i.test(f));
    if (pdfs.length)
      draft.warnings.push(`read the LaTeX source; ${pdfs.map((p) => basename(p)).join(", ")} not used (LaTeX is preferred over PDF)`);
    return draft;
  }
  const candidates = files.filter((f) => PAPER_FILE.test(f));
  const order = [/\.pdf$/i, /\.(tar|tgz|gz)$/i, /\.(md|markdown)$/i, /\.json$/i, /\.txt$/i];
  const chosen = order.map((re) => candidates.filter((c) => re.test(c))).find((group) => group.length > 0);
  if (!chosen) {
    throw new UserError(`${dir}: no paper in this folder (looked for .tex, .pdf, .md, .txt, .json, .tar.gz)`, ExitCode.noPaperInDirectory);
  }
  const draft = await loadFile(chosen[0]!, options);
  if (candidates.length > 1) draft.warnings.push(`read ${relative(dir, chosen[0]!)} from the folder; other files ignored`);
  return draft;
}

async function loadFile(path: string, options: LoadOptions): Promise<PaperDraft> {
  const bytes = await readFile(path);
  const kind = detectKind(bytes, path);
  const namedPdf = /\.pdf$/i.test(path);
  switch (kind) {
    case "empty":
      throw new UserError(`${path}: the file is empty`, ExitCode.emptyFile);
    case "html":
      throw new UserError(`${path}: this is an HTML page, not a paper (a failed download?)`, ExitCode.htmlPage);
    case "pdf":
      return loadPdf(bytes, path, options);
    case "gzip":
    case "tar":
      return loadArchive(bytes, kind, path);
    case "latex": {
      // A single .tex: its folder's other sources are there for \input.
      const dir = dirname(path);
      const tree = await texTreeFrom(dir, await walk(dir));
      const main = relative(dir, path).split(sep).join("/");
      tree.set(main, bytes.toString("utf8"));
      return parseLatex(tree, path, main);
    }
    case "binary":
      throw new UserError(
        `${path}: ${namedPdf ? "not a PDF (it does not start with %PDF-)" : "binary data that is not a PDF or an archive"}`,
        namedPdf ? ExitCode.notAPdf : ExitCode.badInput,
      );
    default:
      if (namedPdf) throw new UserError(`${path}: not a PDF (it does not start with %PDF-; it looks like ${kind})`, ExitCode.notAPdf);
      return parseTextKind(kind, bytes.toString("utf8").replace(/^\uFEFF/, ""), path);
  }
}

async function loadPdf(bytes: Buffer, path: string, options: LoadOptions): Promise<PaperDraft> {
  const truncated = !bytes
    .subarray(Math.max(0, bytes.length - 2048))
    .toString("latin1")
    .includes("%%EOF");
  let raw;
  let recovered: number | undefined;
  try {
    raw = await readPdf(new Uint8Array(bytes), path, options);
  } catch (error) {
    // A cut file loses its catalog and page tree (they come last); rebuild them and try once more.
    const repaired = truncated && error instanceof UserError && error.exitCode === ExitCode.notAPdf ? repairTruncatedPdf(bytes) : undefined;
    if (!repaired) throw error;
    raw = await readPdf(repaired.bytes, path, options).catch(() => {
      throw new UserError(`${path}: the PDF is truncated and could not be recovered (${(error as Error).message})`, ExitCode.notAPdf);
    });
    recovered = repaired.pages;
  }
  const chars = raw.pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.text.trim().length, 0), 0);
  if (chars < 100 * Math.min(raw.pages.length, 3)) {
    if (truncated) throw new UserError(`${path}: the PDF is truncated and no text could be recovered from it`, ExitCode.notAPdf);
    throw new UserError(
      `${path}: the PDF has no text layer (a scanned paper?); use the LaTeX source (arXiv: https://arxiv.org/e-print/<id>) or OCR it first`,
      ExitCode.noTextLayer,
    );
  }
  const draft = layoutPdf(raw, path);
  if (truncated) {
    draft.warnings.unshift(
      `the PDF looks truncated (no %%EOF at its end)${recovered ? `; recovered ${recovered} pages` : ""}; some text may be missing`,
    );
  }
  return draft;
}

async function loadArchive(bytes: Buffer, kind: "gzip" | "tar", path: string): Promise<PaperDraft> {
  let data: Buffer = bytes;
  if (kind === "gzip") {
    try {
      data = gunzipSync(bytes, { maxOutputLength: 512 * 1024 * 1024 });
    } catch (error) {
      throw new UserError(`${path}: a damaged gzip file (${(error as Error).message})`, ExitCode.badInput);
    }
    const inner = detectKind(data, path.replace(/\.gz$/i, ""));
    if (inner === "latex") return parseLatex(new Map([["main.tex", data.toString("utf8")]]), path);
    if (inner !== "tar") throw new UserError(`${path}: a gzip file holding ${inner}, not a LaTeX source archive`, ExitCode.badInput);
  }
  let files;
  try {
    files = (await readTarSources(data)).files;
  } catch (error) {
    throw new UserError(`${path}: a damaged tar archive (${(error as Error).message})`, ExitCode.badInput);
  }
  if (![...files.keys()].some((f) => f.endsWith(".tex"))) {
    throw new UserError(`${path}: no .tex file in the archive`, ExitCode.noPaperInDirectory);
  }
  return parseLatex(files, path);
}

/**
 * Load a paper from a file or folder (or several, e.g. a PDF and its LaTeX
 * source: LaTeX is preferred), detecting each format from the bytes.
 */
const loaded = new Map<string, Promise<Paper>>();

export async function loadPaper(input: string | string[], options: LoadOptions = {}): Promise<Paper> {
  const paths = Array.isArray(input) ? input : [input];
  // The CLI loads the paper to fail fast, then the graph's ingest node loads it again: parse once per process.
  const stamps = await Promise.all(
    paths.map((p) =>
      stat(p).then(
        (s) => `${s.size}:${s.mtimeMs}`,
        () => "missing",
      ),
    ),
  );
  const key = JSON.stringify([paths, stamps, options.password ?? null]);
  let pending = loaded.get(key);
  if (!pending) {
    pending = loadPaperUncached(paths, options);
    loaded.set(key, pending);
    pending.catch(() => loaded.delete(key));
  }
  return pending;
}

async function loadPaperUncached(paths: string[], options: LoadOptions): Promise<Paper> {
  if (paths.length === 0) throw new UserError("no paper given", ExitCode.usage);
  const infos: { path: string; info: Awaited<ReturnType<typeof stat>> }[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UserError(`${path}: no such file`, ExitCode.notFound);
    infos.push({ path, info });
  }
  let chosen = infos[0]!;
  const ignored: string[] = [];
  if (infos.length > 1) {
    const isLatex = async ({ path, info }: (typeof infos)[number]) => {
      if (info.isDirectory()) return (await walk(path)).some((f) => f.endsWith(".tex"));
      const kind = detectKind((await readFile(path)).subarray(0, 8192), path);
      return kind === "latex" || kind === "gzip" || kind === "tar";
    };
    for (const candidate of infos) {
      if (await isLatex(candidate)) {
        chosen = candidate;
        break;
      }
    }
    ignored.push(...infos.filter((i) => i !== chosen).map((i) => i.path));
  }
  const draft = chosen.info.isDirectory() ? await loadDirectory(chosen.path, options) : await loadFile(chosen.path, options);
  if (ignored.length) draft.warnings.push(`read ${chosen.path}; ${ignored.join(", ")} not used (LaTeX is preferred over PDF)`);
  const paper = finishPaper(draft);
  if (paper.sections.length === 0 && !paper.abstract) {
    throw new UserError(`${chosen.path}: no text found in the paper`, ExitCode.badInput);
  }
  return paper;
}
