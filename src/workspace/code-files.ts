import type { GeneratedFile } from "../state.js";
import { putBlob } from "./blobs.js";
import { writeRepoFile } from "./writer.js";

/** Write a code file into repo/ and record it (its text by hash, for the checkpoints): the coder's, the debugger's and the rules' output. */
export async function saveCodeFile(outDir: string, path: string, code: string, note?: string): Promise<GeneratedFile> {
  const sha = await putBlob(outDir, code);
  await writeRepoFile(outDir, path, code);
  return { path, sha, bytes: Buffer.byteLength(code), lines: code.split("\n").length - 1, ...(note ? { note } : {}) };
}
