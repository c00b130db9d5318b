import type { Paper } from "../paper/types.js";
import type { CodeIssue } from "../checks/repo.js";
import type { Design, FileTask, PaperRecord, PaperToCodeState } from "../state.js";
import { DESIGN_KEYS } from "./design-fields.js";
import { getBlob, putBlobSync } from "./blobs.js";

/** What the state holds by hash, read back from (and written to) the run's blob store. */
export async function paperMarkdownOf(state: { outDir?: string; paper?: PaperRecord }): Promise<string> {
  if (!state.outDir || !state.paper) throw new Error("the paper has not been loaded yet");
  return getBlob(state.outDir, state.paper.markdownSha);
}

/** The whole ingested paper (all its sections, appendix and captions); undefined for runs made before it was kept. */
export async function paperStructureOf(state: { outDir?: string; paper?: PaperRecord }): Promise<Paper | undefined> {
  if (!state.outDir || !state.paper?.structureSha) return undefined;
  return JSON.parse(await getBlob(state.outDir, state.paper.structureSha)) as Paper;
}

export function fileTask(state: PaperToCodeState, target: string, issues?: CodeIssue[]): FileTask {
  const { outDir, paper, code } = state;
  const design: Partial<Design> = Object.fromEntries(DESIGN_KEYS.map((key) => [key, state[key]]));
  const designSha = putBlobSync(outDir!, JSON.stringify(design));
  const priority = chainLength(state.files ?? [], target);
  return { outDir, paper, code, designSha, target, analysis: state.analyses[target], priority, ...(issues ? { issues } : {}) };
}

/**
 * The longest chain of files that wait on `target` (itself included): the files on the run's
 * critical path have the longest, and their calls are served first when requests queue.
 */
export function chainLength(files: { path: string; dependsOn: string[] }[], target: string): number {
  const lengths = new Map<string, number>();
  const lengthOf = (path: string, seen: Set<string>): number => {
    const known = lengths.get(path);
    if (known !== undefined) return known;
    if (seen.has(path)) return 1; // a cycle left in the design: counted once
    seen.add(path);
    const dependents = files.filter((f) => f.dependsOn.includes(path));
    const length = 1 + Math.max(0, ...dependents.map((f) => lengthOf(f.path, seen)));
    seen.delete(path);
    lengths.set(path, length);
    return length;
  };
  return lengthOf(target, new Set());
}

/** A task with its design read back from the blob store. */
export async function withDesign<T extends { outDir?: string; designSha: string }>(task: T): Promise<T & Design> {
  return { ...task, ...(JSON.parse(await getBlob(task.outDir!, task.designSha)) as Design) };
}
