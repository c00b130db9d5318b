import { mkdir, rename, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { resolveInside, UnsafePathError } from "./paths.js";

/**
 * Write atomically (temp file + rename) so a crash never leaves a half-written
 * file. The temp file goes to `tempDir` when given (a run's `.paper2code/tmp`),
 * so a process killed mid-write leaves nothing among the outputs.
 */
export async function writeFileAtomic(target: string, content: string, tempDir = dirname(target)): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await mkdir(tempDir, { recursive: true });
  const temp = join(tempDir, `${basename(target)}.${process.pid}.${randomUUID()}.tmp`);
  await writeFile(temp, content, "utf8");
  await rename(temp, target);
}

/** The same, synchronously: for what must be on disk before anything else can happen (a model reply, a blob a Send refers to). */
export function writeFileAtomicSync(target: string, content: string): void {
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, "utf8");
  renameSync(temp, target);
}

/** Where a run's temp files go: inside its own folder (same file system, so rename stays atomic). */
export const tempDirOf = (outDir: string) => join(outDir, ".paper2code", "tmp");

export const repoDir = (outDir: string) => join(outDir, "repo");
export const artifactsDir = (outDir: string) => join(outDir, "artifacts");

/**
 * Refuse to write through a symbolic link that leads out of `root` (a folder
 * in an existing output that links elsewhere): the deepest existing folder on
 * the way to `target` must really be inside `root`.
 */
export function assertNoEscapingLink(root: string, target: string): void {
  let dir = dirname(target);
  while (!existsSync(dir) && dir !== dirname(dir)) dir = dirname(dir);
  if (!existsSync(root)) return;
  const realRoot = realpathSync(root);
  const real = realpathSync(dir);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new UnsafePathError(`${relative(root, target)} would be written through a link to ${real}, outside ${root}`);
  }
}

/** Write a generated file into `<out>/repo/`, confined to that folder. */
export async function writeRepoFile(outDir: string, path: string, content: string): Promise<string> {
  const target = resolveInside(repoDir(outDir), path);
  assertNoEscapingLink(outDir, target);
  await writeFileAtomic(target, content, tempDirOf(outDir));
  return target;
}

/** Write an artifact into `<out>/artifacts/`, confined to that folder. */
/** A repository file's text, or undefined when there is no such file. */
export function readRepoFile(outDir: string, path: string): string | undefined {
  const target = resolveInside(repoDir(outDir), path);
  return existsSync(target) ? readFileSync(target, "utf8") : undefined;
}

export async function writeArtifact(outDir: string, path: string, content: string): Promise<string> {
  const target = resolveInside(artifactsDir(outDir), path);
  assertNoEscapingLink(outDir, target);
  await writeFileAtomic(target, content, tempDirOf(outDir));
  return target;
}
