import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic, writeFileAtomicSync } from "./writer.js";

/**
 * Content-addressed text storage beside a run's output. Graph state holds only
 * the hash of large texts (the paper, generated code), so checkpoints stay small
 * and a rewound checkpoint still finds exactly the text it referred to.
 */
export function blobDir(outDir: string): string {
  return join(outDir, ".paper2code", "blobs");
}

export function hashText(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export async function putBlob(outDir: string, text: string): Promise<string> {
  const sha = hashText(text);
  await writeFileAtomic(join(blobDir(outDir), sha), text);
  return sha;
}

/** The same, synchronously: for graph edges, which build Send payloads without awaiting. */
export function putBlobSync(outDir: string, text: string): string {
  const sha = hashText(text);
  const target = join(blobDir(outDir), sha);
  if (!existsSync(target)) writeFileAtomicSync(target, text);
  return sha;
}

const cache = new Map<string, string>();

export async function getBlob(outDir: string, sha: string): Promise<string> {
  const key = `${outDir}\0${sha}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let text: string;
  try {
    text = await readFile(join(blobDir(outDir), sha), "utf8");
  } catch {
    throw new Error(`stored text ${sha.slice(0, 12)} is missing from ${blobDir(outDir)}; was the output folder moved or deleted?`);
  }
  if (hashText(text) !== sha) throw new Error(`stored text ${sha.slice(0, 12)} in ${blobDir(outDir)} is corrupt`);
  cache.set(key, text);
  return text;
}
