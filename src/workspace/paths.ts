import { ReplyParseError } from "../parsing/json.js";
import { posix, resolve, sep } from "node:path";

export class UnsafePathError extends Error {}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/**
 * Normalise a file path proposed by a model into a safe relative POSIX path
 * inside the generated repository, or throw UnsafePathError saying why not.
 */
export function normalizeRepoPath(raw: string): string {
  let path = raw
    .trim()
    .replace(/^[`'"]+|[`'"]+$/g, "")
    .replace(/\\/g, "/");
  if (!path) throw new UnsafePathError("empty file path");
  if (/[\u0000-\u001f]/.test(path)) throw new UnsafePathError(`file path ${JSON.stringify(raw)} has control characters`);
  if (path.startsWith("/") || /^[a-zA-Z]:\//.test(path) || path.startsWith("~")) {
    throw new UnsafePathError(`file path ${JSON.stringify(raw)} is absolute; paths must be relative to the repository`);
  }
  const segments = path.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) {
    throw new UnsafePathError(`file path ${JSON.stringify(raw)} uses '..' to leave the repository`);
  }
  for (const segment of segments) {
    if (WINDOWS_RESERVED.test(segment)) throw new UnsafePathError(`file path ${JSON.stringify(raw)} uses the reserved name ${segment}`);
    if (segment.toLowerCase() === ".git") throw new UnsafePathError(`file path ${JSON.stringify(raw)} writes into .git`);
    if (/[<>:"|?*]/.test(segment)) throw new UnsafePathError(`file path ${JSON.stringify(raw)} has characters not allowed in file names`);
  }
  path = segments.join("/");
  if (!path) throw new UnsafePathError(`file path ${JSON.stringify(raw)} names no file`);
  return posix.normalize(path);
}

/** Normalise a list of paths; duplicates (also ones differing only in case) are rejected. */
export function normalizeFileList(raw: string[]): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const item of raw) {
    const path = normalizeRepoPath(item);
    const key = path.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new UnsafePathError(
        earlier === path ? `file ${path} is listed twice` : `files ${earlier} and ${path} differ only in letter case`,
      );
    }
    seen.set(key, path);
    out.push(path);
  }
  return out;
}

/** Resolve a normalised repository path under `root`, re-checking confinement. */
export function resolveInside(root: string, relativePath: string): string {
  const base = resolve(root);
  const target = resolve(base, normalizeRepoPath(relativePath));
  if (!target.startsWith(base + sep)) throw new UnsafePathError(`${relativePath} resolves outside ${root}`);
  return target;
}

/** Replace each item's path by its normalised form; an unsafe or duplicate path makes the reply unusable (and re-asked). */
export function validatedPaths<T extends { path: string }>(items: T[], normalize: (paths: string[]) => string[]): T[] {
  try {
    const paths = normalize(items.map((i) => i.path));
    return items.map((item, i) => ({ ...item, path: paths[i]! }));
  } catch (error) {
    if (error instanceof UnsafePathError) throw new ReplyParseError(error.message);
    throw error;
  }
}
