import { existsSync, readFileSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { usd } from "../llm/prices.js";
import { slugOf } from "../render/slug.js";
import type { RunJson } from "../report/run-page.js";
import { jsonIfExists } from "../workspace/tree.js";
import { writeFileAtomic } from "../workspace/writer.js";

/** One paper of a batch: where it runs, how it went, and why it failed when it did. */
export interface BatchPaper {
  paper: string;
  /** Its run's folder, under the batch folder. */
  outDir: string;
  threadId: string;
  status: "pending" | "running" | "complete" | "failed" | "stopped" | "incomplete" | "awaiting review";
  attempts: number;
  /** Why each failed attempt failed, oldest first (kept when a retry succeeds). */
  reasons: string[];
  startedAt?: string;
  finishedAt?: string;
  ms?: number;
  calls?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number | null;
  checks?: string;
  smoke?: string;
  /** Which worker ran it (distributed mode), in order. */
  workers?: string[];
}

export interface Ledger {
  version: 1;
  dir: string;
  papers: BatchPaper[];
}

/** The paper paths a batch was given: files, or a .txt list of paths (one per line, # comments), relative to the list. */
export function readPaperList(inputs: string[]): string[] {
  const papers: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new UserError(`no such paper or list: ${input}`, ExitCode.notFound);
    if (extname(input) === ".txt" && !/\.(md|tex)$/i.test(input)) {
      const base = resolve(input, "..");
      for (const line of readFileSync(input, "utf8").split("\n")) {
        const path = line.replace(/#.*/, "").trim();
        if (!path) continue;
        const full = resolve(base, path);
        if (!existsSync(full)) throw new UserError(`${input}: no such paper: ${path}`, ExitCode.notFound);
        papers.push(full);
      }
    } else papers.push(resolve(input));
  }
  if (!papers.length) throw new UserError("no paper to run", ExitCode.usage);
  return [...new Set(papers)];
}

const slug = (path: string) => slugOf(basename(path, extname(path)), "paper", 50);

export const ledgerPath = (dir: string) => join(dir, "batch.json");

/** The batch's ledger: the one in its folder, with the papers given now added (a paper's folder and thread stay its own). */
export function openLedger(dir: string, papers: string[], newThreadId: () => string): Ledger {
  const path = ledgerPath(dir);
  const ledger: Ledger = jsonIfExists<Ledger>(path) ?? { version: 1, dir, papers: [] };
  const taken = new Set(ledger.papers.map((p) => basename(p.outDir)));
  for (const paper of papers) {
    if (ledger.papers.some((p) => p.paper === paper)) continue;
    let name = slug(paper);
    for (let i = 2; taken.has(name); i++) name = `${slug(paper)}-${i}`;
    taken.add(name);
    ledger.papers.push({ paper, outDir: join(dir, name), threadId: newThreadId(), status: "pending", attempts: 0, reasons: [] });
  }
  return ledger;
}

/** The figures of a finished attempt, from the run's run.json. */
export function resultOf(entry: BatchPaper): Partial<BatchPaper> {
  const run = jsonIfExists<RunJson>(join(entry.outDir, "run.json"));
  if (!run) return {};
  return {
    calls: run.usage?.total.calls,
    inputTokens: run.usage?.total.inputTokens,
    outputTokens: run.usage?.total.outputTokens,
    costUsd: run.costUsd ?? null,
    checks: run.checks ? (run.checks.ok ? "passed" : "problems left") : undefined,
    smoke: run.execution ? (run.execution.passed ? "passed" : `failed after ${run.execution.debugRounds} debugger round(s)`) : undefined,
  };
}

const n = (v: number | undefined) => (v ?? 0).toLocaleString("en");

/** batch.md: one row per paper, then the totals. */
export function renderBatchMarkdown(ledger: Ledger): string {
  const rows = ledger.papers.map((p) =>
    [
      basename(p.outDir),
      p.status,
      p.ms === undefined ? "" : `${(p.ms / 1000).toFixed(1)} s`,
      n(p.calls),
      `${n(p.inputTokens)} / ${n(p.outputTokens)}`,
      usd(p.costUsd),
      p.checks ?? "",
      p.smoke ?? "not run",
      p.attempts,
      (p.reasons.at(-1) ?? "").replace(/\|/g, "\\|").split("\n")[0]!,
    ].join(" | "),
  );
  const sum = (f: (p: BatchPaper) => number | undefined) => ledger.papers.reduce((s, p) => s + (f(p) ?? 0), 0);
  const complete = ledger.papers.filter((p) => p.status === "complete").length;
  const unknownCost = ledger.papers.some((p) => p.costUsd === null);
  return `# Batch: ${ledger.papers.length} papers, ${complete} complete

| paper | status | time | calls | tokens in / out | cost | static checks | smoke run | attempts | last failure |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r} |`).join("\n")}
| total | ${complete}/${ledger.papers.length} complete | | ${n(sum((p) => p.calls))} | ${n(sum((p) => p.inputTokens))} / ${n(sum((p) => p.outputTokens))} | ${unknownCost ? "unknown" : `$${sum((p) => p.costUsd ?? 0).toFixed(2)}`} | | | | |
`;
}

export async function saveLedger(ledger: Ledger): Promise<void> {
  await writeFileAtomic(ledgerPath(ledger.dir), `${JSON.stringify(ledger, null, 2)}\n`);
  await writeFileAtomic(join(ledger.dir, "batch.md"), renderBatchMarkdown(ledger));
}
