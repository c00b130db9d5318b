import { readFile, stat } from "node:fs/promises";
import { ExitCode, UserError } from "../errors.js";
import { countTokens } from "../tokens.js";
import { parseMarkdown } from "./markdown.js";
import { parsePaperCoderJson } from "./papercoder-json.js";
import { parsePlainText } from "./text.js";
import type { Paper, PaperDraft, PaperKind } from "./types.js";

export type DetectedKind = PaperKind | "html" | "gzip" | "tar" | "binary" | "empty";

/** Decide what a file is from its bytes; the extension is only a tie-breaker between text formats. */
export function detectKind(bytes: Uint8Array, name = ""): DetectedKind {
  if (bytes.length === 0) return "empty";
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (head.startsWith("%PDF-")) return "pdf";
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  if (bytes.length > 262 && Buffer.from(bytes.subarray(257, 262)).toString("latin1") === "ustar") return "tar";
  const sample = Buffer.from(bytes.subarray(0, 8192));
  if (sample.includes(0)) return "binary";
  const text = sample.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (/^<(!doctype html|html|head|body)\b/i.test(text)) return "html";
  if (text.startsWith("{")) return "papercoder-json";
  if (/\\(documentclass|begin\{document\}|section\*?\{|input\{)/.test(text)) return "latex";
  if (/^#{1,6}\s+\S/m.test(text) || /\.(md|markdown)$/i.test(name)) return "markdown";
  return "text";
}

export function finishPaper(draft: PaperDraft): Paper {
  const perSection = draft.sections.map((s) => ({ heading: s.heading, tokens: countTokens(`${s.heading}\n${s.text}`) }));
  const total =
    countTokens(draft.title) + countTokens(draft.abstract) + perSection.reduce((sum, s) => sum + s.tokens, 0);
  return { ...draft, tokens: { total, perSection } };
}

/** Parse paper text already in memory (used by Studio runs where the user pastes a paper). */
export function parsePaperText(text: string, name = "pasted paper"): Paper {
  const kind = detectKind(Buffer.from(text, "utf8"), name);
  return finishPaper(parseByKind(kind, text, name));
}

function parseByKind(kind: DetectedKind, text: string, path: string): PaperDraft {
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
    case "empty":
      throw new UserError(`${path}: the file is empty`, ExitCode.badInput);
    case "html":
      throw new UserError(`${path}: this is an HTML page, not a paper (a failed download?)`, ExitCode.badInput);
    case "pdf":
    case "latex":
    case "gzip":
    case "tar":
      throw new UserError(
        `${path}: ${kind === "pdf" ? "PDF" : "LaTeX"} input is not supported by this version; convert the paper to Markdown or text`,
        ExitCode.badInput,
      );
    case "binary":
      throw new UserError(`${path}: binary data that is not a PDF or an archive`, ExitCode.badInput);
  }
}

/** Load a paper from a file, detecting its format from the bytes. */
export async function loadPaper(path: string): Promise<Paper> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UserError(`${path}: no such file`, ExitCode.notFound);
  }
  if (info.isDirectory()) {
    throw new UserError(`${path}: is a directory; give the paper file itself`, ExitCode.badInput);
  }
  const bytes = await readFile(path);
  const kind = detectKind(bytes, path);
  const paper = finishPaper(parseByKind(kind, bytes.toString("utf8").replace(/^\uFEFF/, ""), path));
  if (paper.sections.length === 0 && !paper.abstract) {
    throw new UserError(`${path}: no text found in the paper`, ExitCode.badInput);
  }
  return paper;
}
