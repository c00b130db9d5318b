/** How much the debugger changed: the PaperCoder paper's measure of hand fixes, the share of lines modified. */
import { readFileSync } from "node:fs";
import { structuredPatch } from "diff";
import type { PaperToCodeState } from "../state.js";
import { resolveInside } from "../workspace/paths.js";
import { artifactsDir, readRepoFile } from "../workspace/writer.js";

/** Lines changed between two texts, a changed line counted once (the larger of lines removed and added, per hunk). */
export function modifiedLines(before: string, after: string): { added: number; removed: number; modified: number } {
  let added = 0;
  let removed = 0;
  let modified = 0;
  for (const hunk of structuredPatch("a", "b", before, after, "", "", { context: 0 }).hunks) {
    const plus = hunk.lines.filter((l) => l.startsWith("+")).length;
    const minus = hunk.lines.filter((l) => l.startsWith("-")).length;
    added += plus;
    removed += minus;
    modified += Math.max(plus, minus);
  }
  return { added, removed, modified };
}

/** The share of the repository's lines the debugger changed, as the PaperCoder paper measures hand fixes. */
export function modifiedShare(state: PaperToCodeState): { modifiedLines: number; totalLines: number; share: number } | undefined {
  if (!state.execution) return undefined;
  const outDir = state.outDir!;
  let modified = 0;
  const edited = new Set(state.debugRounds.flatMap((r) => r.edits.map((e) => e.path)));
  for (const path of edited) {
    const original = readFileSync(resolveInside(artifactsDir(outDir), `debug/original/${path}`), "utf8");
    modified += modifiedLines(original, readRepoFile(outDir, path) ?? "").modified;
  }
  const totalLines = state.execution.linesBefore;
  return { modifiedLines: modified, totalLines, share: totalLines ? modified / totalLines : 0 };
}
