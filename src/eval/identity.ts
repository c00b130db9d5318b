import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { EVAL_THREAD_PREFIX } from "../runs.js";
import { SKIPPED_DIRS } from "./files.js";

function hashPath(hash: ReturnType<typeof createHash>, path: string, label: string) {
  if (!existsSync(path)) return hash.update(`${label}\0missing\0`);
  const stat = statSync(path);
  if (stat.isFile()) return hash.update(`${label}\0`).update(readFileSync(path));
  if (!stat.isDirectory()) return hash;
  for (const name of readdirSync(path).sort()) {
    if (SKIPPED_DIRS.has(name)) continue;
    hashPath(hash, join(path, name), `${label}/${name}`);
  }
  return hash;
}

/**
 * An evaluation's id: a hash of what it judges (the files' contents) and how
 * (the judge and the settings that change a judgment). The same command on
 * the same files finds the same evaluation and continues it; a changed file
 * or setting starts a new one.
 */
export function evaluationId(inputs: { paths: Record<string, string | string[] | undefined>; settings: Record<string, unknown> }): string {
  const hash = createHash("sha256");
  for (const [label, value] of Object.entries(inputs.paths)) {
    for (const path of [value ?? []].flat()) hashPath(hash, path, label);
  }
  hash.update(
    JSON.stringify(
      Object.entries(inputs.settings)
        .filter(([, v]) => v !== undefined)
        .sort(),
    ),
  );
  return `${EVAL_THREAD_PREFIX}${hash.digest("hex").slice(0, 16)}`;
}
