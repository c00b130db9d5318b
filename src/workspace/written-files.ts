import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileTask, GeneratedFile, PlannedFile } from "../state.js";
import { tempDirOf, writeFileAtomic } from "./writer.js";

/*
 * Which files of a coding batch are written: each coder marks its file on disk
 * (a resumed process sees it) and tells the coders waiting for it; a coder
 * starts once the files it imports are written.
 */

/** Every file `path` depends on, directly or through others, in implementation order. */
export function transitiveDependencies(files: PlannedFile[], path: string): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const visit = (p: string) => {
    for (const dep of byPath.get(p)?.dependsOn ?? [])
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
  };
  visit(path);
  return files.map((f) => f.path).filter((p) => seen.has(p));
}

const written = new EventEmitter().setMaxListeners(0);
const markerPath = (task: FileTask, path: string) => join(task.outDir!, ".paper2code", "coding", task.batch!, `${path}.json`);

function readMarker(task: FileTask, path: string): GeneratedFile | undefined {
  try {
    return JSON.parse(readFileSync(markerPath(task, path), "utf8")) as GeneratedFile;
  } catch {
    return undefined;
  }
}

/** The written files this one waits for: already on disk, or as soon as their coders finish. */
export async function waitForDependencies(task: FileTask, signal?: AbortSignal): Promise<Record<string, GeneratedFile>> {
  const found: Record<string, GeneratedFile> = {};
  await Promise.all(
    (task.waitFor ?? []).map(async (path) => {
      const existing = task.code?.[path] ?? readMarker(task, path);
      if (existing) return void (found[path] = existing);
      found[path] = await new Promise<GeneratedFile>((resolve, reject) => {
        const key = markerPath(task, path);
        const done = (file: GeneratedFile) => (cleanup(), resolve(file));
        const aborted = () => (cleanup(), reject(signal!.reason ?? new Error("aborted")));
        const cleanup = () => {
          written.off(key, done);
          signal?.removeEventListener("abort", aborted);
        };
        written.on(key, done);
        signal?.addEventListener("abort", aborted);
        const late = readMarker(task, path); // written between the first look and the listener
        if (late) done(late);
      });
    }),
  );
  return found;
}

/** Tell the files waiting on this one that it is written (on disk first, for a resumed process). */
export async function markWritten(task: FileTask, file: GeneratedFile): Promise<void> {
  if (!task.batch) return;
  await writeFileAtomic(markerPath(task, file.path), JSON.stringify(file), tempDirOf(task.outDir!));
  written.emit(markerPath(task, file.path), file);
}
