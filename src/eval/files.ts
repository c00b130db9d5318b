/**
 * A repository as a judge reads it: its text files with their token counts,
 * ranked against a question and packed into a token budget.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { countTokens } from "../tokens.js";

export interface RepoFile {
  path: string;
  text: string;
  tokens: number;
}

/** Folders no judge needs: tooling, environments, caches, paper2code's own bookkeeping. */
export const SKIPPED_DIRS = new Set([
  ".git",
  ".hg",
  ".svn",
  ".paper2code",
  "node_modules",
  "__pycache__",
  ".venv",
  "venv",
  ".mypy_cache",
  ".pytest_cache",
  ".ipynb_checkpoints",
  ".tox",
]);
const MAX_FILE_BYTES = 512 * 1024;

const isBinary = (bytes: Buffer) => bytes.subarray(0, 8192).includes(0);

/** The folder to read: the path itself, or the repo/ of a paper2code run folder. */
export function repositoryRoot(path: string, what = "repository"): string {
  const root = resolve(path);
  if (!existsSync(root)) throw new UserError(`${what} ${path}: no such folder`, ExitCode.notFound);
  if (!statSync(root).isDirectory()) throw new UserError(`${what} ${path}: not a folder`, ExitCode.badInput);
  return existsSync(join(root, "run.json")) && existsSync(join(root, "repo")) ? join(root, "repo") : root;
}

/**
 * The text files of a repository, by path. A paper2code run folder (with
 * repo/ and run.json) stands for its repo/. Binary, oversized and hidden
 * files are left out and listed in `skipped`.
 */
export function readRepository(path: string, what = "repository"): { root: string; files: RepoFile[]; skipped: string[] } {
  const root = repositoryRoot(path, what);
  const files: RepoFile[] = [];
  const skipped: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = relative(root, full).split(sep).join("/");
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(name) && !name.startsWith(".")) walk(full);
        continue;
      }
      if (!stat.isFile()) continue;
      if (name.startsWith(".") || stat.size > MAX_FILE_BYTES) {
        skipped.push(rel);
        continue;
      }
      const bytes = readFileSync(full);
      if (isBinary(bytes)) {
        skipped.push(rel);
        continue;
      }
      const text = bytes.toString("utf8");
      files.push({ path: rel, text, tokens: countTokens(text) });
    }
  };
  walk(root);
  if (files.length === 0) throw new UserError(`${what} ${path}: no text files to judge`, ExitCode.badInput);
  return { root, files, skipped };
}

const CODE = new Set([
  ".py",
  ".pyx",
  ".ipynb",
  ".sh",
  ".c",
  ".cc",
  ".cpp",
  ".cu",
  ".h",
  ".hpp",
  ".js",
  ".ts",
  ".jl",
  ".r",
  ".m",
  ".rs",
  ".go",
  ".java",
  ".scala",
  ".lua",
]);
const SETTINGS = new Set([".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".txt"]);

/** Code first, then settings, documentation last; path order within each: what to show when not everything fits. */
export function codeFirst<T extends { path: string }>(files: readonly T[]): T[] {
  const rank = (f: T) => {
    const ext = extname(f.path).toLowerCase();
    return CODE.has(ext) ? 0 : SETTINGS.has(ext) ? 1 : 2;
  };
  return [...files].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
}

/** Words of text and code alike: snake_case and camelCase split, lower case, short and common words dropped. */
export function terms(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 2 && !STOP_WORDS.has(t));
}

const STOP_WORDS = new Set(
  "the and for with that this from are was were has have had not but its into per via all any can each such than then there these those which while will would should could been being use used using code implementation implemented implements paper".split(
    " ",
  ),
);

/** Part of a ranking question; a leaf's own requirement weighs more than its ancestors'. */
export interface QueryPart {
  text: string;
  weight: number;
}

/**
 * Rank files by how well they match a question (Okapi BM25 over the file's
 * path and text; a path match counts three times; each query term weighs as
 * the heaviest part it occurs in). Deterministic and free: no model call per
 * leaf just to choose files.
 */
export function rankFiles(files: readonly RepoFile[], question: string | QueryPart[]): { file: RepoFile; score: number }[] {
  const parts = typeof question === "string" ? [{ text: question, weight: 1 }] : question;
  const weights = new Map<string, number>();
  for (const part of parts) for (const t of terms(part.text)) weights.set(t, Math.max(weights.get(t) ?? 0, part.weight));
  const query = [...weights.keys()];
  const docs = files.map((file) => {
    const counts = new Map<string, number>();
    const add = (t: string, n: number) => counts.set(t, (counts.get(t) ?? 0) + n);
    for (const t of terms(file.text)) add(t, 1);
    for (const t of terms(file.path)) add(t, 3);
    const length = [...counts.values()].reduce((a, b) => a + b, 0);
    return { file, counts, length };
  });
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(docs.length, 1) || 1;
  const k1 = 1.2;
  const b = 0.75;
  const idf = new Map(
    query.map((t) => {
      const n = docs.filter((d) => d.counts.has(t)).length;
      return [t, Math.log(1 + (docs.length - n + 0.5) / (n + 0.5))];
    }),
  );
  const scored = docs.map(({ file, counts, length }) => {
    let score = 0;
    for (const t of query) {
      const tf = counts.get(t) ?? 0;
      if (tf) score += weights.get(t)! * idf.get(t)! * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avg)));
    }
    return { file, score };
  });
  const order = new Map(codeFirst(files).map((f, i) => [f.path, i]));
  return scored.sort((x, y) => y.score - x.score || order.get(x.file.path)! - order.get(y.file.path)!);
}

export interface PackedFiles {
  /** The files as the judge reads them, each in a fenced block under its path. */
  text: string;
  tokens: number;
  shown: { path: string; tokens: number; truncated?: boolean }[];
  omitted: string[];
}

const CUT_NOTE = "# ... (cut here: the rest of the file did not fit the judge's token budget)";
const CUT_NOTE_TOKENS = countTokens(CUT_NOTE) + 1;

/** Lines of a file that fit in `budget` tokens (the note saying it was cut included), and whether it was cut. */
function headOf(file: RepoFile, budget: number): { text: string; truncated: boolean } {
  if (file.tokens <= budget) return { text: file.text, truncated: false };
  const lines = file.text.split("\n");
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (countTokens(lines.slice(0, mid).join("\n")) <= budget - CUT_NOTE_TOKENS) low = mid;
    else high = mid - 1;
  }
  return { text: `${lines.slice(0, low).join("\n")}\n${CUT_NOTE}`, truncated: true };
}

/** Overhead of a file's heading and fence, in tokens. */
const FRAME = 12;
/** A cut file is shown only when this much of it fits. */
const MIN_HEAD = 400;

/**
 * Files in the given order while they fit. A file too long for the room left
 * is shown cut when a useful part of it fits (which fills the budget), else it
 * is passed over for the files after it; what is not shown is listed as omitted.
 */
export function packFiles(ordered: readonly RepoFile[], budget: number): PackedFiles {
  const blocks: string[] = [];
  const shown: PackedFiles["shown"] = [];
  const omitted: string[] = [];
  let used = 0;
  for (const file of ordered) {
    const room = budget - used - FRAME;
    if (file.tokens > room && room < MIN_HEAD) {
      omitted.push(file.path);
      continue;
    }
    const { text, truncated } = headOf(file, room);
    const tokens = truncated ? countTokens(text) : file.tokens;
    blocks.push(`## File: ${file.path}\n\`\`\`\`\n${text}\n\`\`\`\``);
    shown.push({ path: file.path, tokens, ...(truncated ? { truncated } : {}) });
    used += tokens + FRAME;
  }
  return { text: blocks.join("\n\n"), tokens: used, shown, omitted };
}
