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

export { saveCodeFile } from "../src/workspace/code-files.js";
