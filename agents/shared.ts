import { ReplyParseError } from "../src/parsing/json.js";
import type { GeneratedFile } from "../src/state.js";
import { putBlob } from "../src/workspace/blobs.js";
import { writeRepoFile } from "../src/workspace/writer.js";
import { UnsafePathError } from "../src/workspace/paths.js";

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

export function stripMermaidFence(text: string): string {
  return text
    .trim()
    .replace(/^```\s*mermaid\s*\n?/i, "")
    .replace(/\n?```\s*$/, "")
    .trim();
}

/** Write a code file into repo/ and record it (its text by hash, for the checkpoints): the coder's and the debugger's output. */
export async function saveCodeFile(outDir: string, path: string, code: string, note?: string): Promise<GeneratedFile> {
  const sha = await putBlob(outDir, code);
  await writeRepoFile(outDir, path, code);
  return { path, sha, bytes: Buffer.byteLength(code), lines: code.split("\n").length - 1, ...(note ? { note } : {}) };
}
