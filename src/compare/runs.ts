import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { structuredPatch } from "diff";
import type { RunJson } from "../report/run-page.js";
import { filesUnder, jsonIfExists } from "../workspace/tree.js";

/** One run as the comparison reads it, from its folder. */
export interface ComparedRun {
  name: string;
  outDir: string;
  run: RunJson;
  /** Verification rounds per reviewed artifact (plan, logic, analysis/model.py...). */
  reviews: Record<string, RoundSummary[]>;
  files: Record<string, string>;
  eval?: { rubric?: number; referenceFree?: number | null; referenceBased?: number | null; path: string };
}

export interface RoundSummary {
  round: number;
  passed: boolean;
  action?: string;
  score?: number;
  issues: { high: number; medium: number; low: number };
}

function reviewsOf(outDir: string): Record<string, RoundSummary[]> {
  const root = join(outDir, "artifacts", "reviews");
  const out: Record<string, RoundSummary[]> = {};
  for (const file of filesUnder(root).filter((p) => p.endsWith("-verdict.json"))) {
    const v = JSON.parse(readFileSync(join(root, file), "utf8")) as {
      round: number;
      passed: boolean;
      action?: string;
      score?: number;
      issues: { severity: string }[];
    };
    const count = (s: string) => v.issues.filter((i) => i.severity === s).length;
    (out[file.split("/").slice(0, -1).join("/")] ??= []).push({
      round: v.round,
      passed: v.passed,
      ...(v.action ? { action: v.action } : {}),
      ...(v.score !== undefined ? { score: v.score } : {}),
      issues: { high: count("high"), medium: count("medium"), low: count("low") },
    });
  }
  for (const rounds of Object.values(out)) rounds.sort((a, b) => a.round - b.round);
  return out;
}

/** An evaluation of the run's repository: eval.json in the run folder, or one under ./evals/ that judged this repo/. */
function evalOf(outDir: string, searchIn: string[]): ComparedRun["eval"] {
  const repo = resolve(outDir, "repo");
  const candidates = [
    join(outDir, "eval.json"),
    ...searchIn.flatMap((dir) =>
      filesUnder(dir)
        .filter((p) => p.endsWith("eval.json"))
        .map((p) => join(dir, p)),
    ),
  ];
  for (const path of candidates) {
    const e = jsonIfExists<{
      repository?: string;
      rubric?: { score: number };
      referenceFree?: { mean: number | null };
      referenceBased?: { mean: number | null };
    }>(path);
    if (!e || (path !== join(outDir, "eval.json") && resolve(e.repository ?? "") !== repo)) continue;
    return {
      path,
      ...(e.rubric ? { rubric: e.rubric.score } : {}),
      ...(e.referenceFree ? { referenceFree: e.referenceFree.mean } : {}),
      ...(e.referenceBased ? { referenceBased: e.referenceBased.mean } : {}),
    };
  }
  return undefined;
}

export function readComparedRun(outDir: string, name: string, evalDirs: string[] = []): ComparedRun {
  const run = jsonIfExists<RunJson>(join(outDir, "run.json"));
  if (!run) throw new Error(`${outDir} has no run.json`);
  const repo = join(outDir, "repo");
  const files = Object.fromEntries(filesUnder(repo).map((p) => [p, readFileSync(join(repo, p), "utf8")]));
  return { name, outDir, run, reviews: reviewsOf(outDir), files, eval: evalOf(outDir, evalDirs) };
}

/** Lines added and removed from one text to another, and the unified diff. */
export function fileChange(before: string | undefined, after: string | undefined, path: string) {
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before ?? "", after ?? "", "", "", { context: 3 });
  let added = 0;
  let removed = 0;
  const body: string[] = [];
  for (const hunk of patch.hunks) {
    body.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
      body.push(line);
    }
  }
  return { added, removed, diff: body.length ? [`--- a/${path}`, `+++ b/${path}`, ...body].join("\n") : "" };
}
