import { getBlob, putBlob } from "../workspace/blobs.js";
import type { RepoFile } from "./files.js";
import type { StoredRepository } from "./state.js";

/** Keep a repository's files in the evaluation's blob store; the state holds their hashes. */
export async function storeRepository(
  outDir: string,
  repo: { root: string; files: RepoFile[]; skipped: string[] },
): Promise<StoredRepository> {
  const files = [];
  for (const file of repo.files) files.push({ path: file.path, tokens: file.tokens, sha: await putBlob(outDir, file.text) });
  return { root: repo.root, files, skipped: repo.skipped };
}

/** The stored files (only those listed in `only`, when given) with their text. */
export async function loadFiles(outDir: string, repo: StoredRepository, only?: readonly string[]): Promise<RepoFile[]> {
  const wanted = only ? new Set(only) : undefined;
  const files = repo.files.filter((f) => !wanted || wanted.has(f.path));
  return Promise.all(files.map(async (f) => ({ path: f.path, tokens: f.tokens, text: await getBlob(outDir, f.sha) })));
}
