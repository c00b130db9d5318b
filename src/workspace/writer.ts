import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { resolveInside } from "./paths.js";

/** Write atomically (temp file + rename) so a crash never leaves a half-written file. */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, content, "utf8");
  await rename(temp, target);
}

export const repoDir = (outDir: string) => join(outDir, "repo");
export const artifactsDir = (outDir: string) => join(outDir, "artifacts");

/** Write a generated file into `<out>/repo/`, confined to that folder. */
export async function writeRepoFile(outDir: string, path: string, content: string): Promise<string> {
  const target = resolveInside(repoDir(outDir), path);
  await writeFileAtomic(target, content);
  return target;
}

/** Write an artifact into `<out>/artifacts/`, confined to that folder. */
export async function writeArtifact(outDir: string, path: string, content: string): Promise<string> {
  const target = resolveInside(artifactsDir(outDir), path);
  await writeFileAtomic(target, content);
  return target;
}
