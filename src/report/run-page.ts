import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { costOfCalls, usd } from "../llm/prices.js";
import type { CallRecord } from "../llm/usage.js";
import { stageOf } from "../run-report.js";
import { filesUnder, jsonIfExists, textIfExists } from "../workspace/tree.js";
import { tempDirOf, writeFileAtomic } from "../workspace/writer.js";
import { codeHtml, diffHtml, esc, markdownHtml, mermaidHtml, page, tableHtml, unifiedDiffHtml } from "./html.js";

/** What the report reads of run.json (written by the same version; older fields may be missing). */
export interface RunJson {
  status: string;
  error?: string;
  threadId?: string;
  model?: string;
  startedAt?: string;
  finishedAt?: string;
  paper?: { title?: string; source?: string; tokens?: number; dropped?: string[]; warnings?: string[] };
  files?: { path: string; lines: number; bytes: number }[];
  usage?: { total: Usage; byStage: Record<string, Usage>; byAgent: Record<string, Usage> };
  costUsd?: number | null;
  cost?: { byStage?: Record<string, number | null> };
  reviews?: Record<string, { rounds: number; refined: number; passed: boolean; score?: number; issuesLeft: number }>;
  checks?: { ok: boolean; rounds: number; repairedFiles: string[] };
  execution?: {
    passed: boolean;
    isolation: string;
    debugRounds: number;
    runs: {
      round: number;
      command: string[];
      exitCode: number | null;
      passed: boolean;
      durationMs: number;
      log: string;
      failure?: { kind: string; summary: string };
    }[];
    rounds: { round: number; diagnosis?: string; edits: { path: string; added: number; removed: number }[]; error?: string }[];
  };
  notes?: string[];
  calls?: CallRecord[];
}

interface Usage {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

interface Verdict {
  stage: string;
  file?: string;
  round: number;
  passed: boolean;
  score?: number;
  summary?: string;
  action?: string;
  issues: { severity: string; location: string; problem: string; suggestion?: string; source?: string }[];
}

const read = textIfExists;
const n = (v: number) => v.toLocaleString("en");

/** A stable id for an element (a file path as an anchor). */
const anchor = (text: string) => `f-${text.replace(/[^A-Za-z0-9]+/g, "-")}`;

function header(run: RunJson): string {
  const total = run.usage?.total;
  const status = run.status === "complete" ? `<span class="ok">complete</span>` : `<span class="bad">${esc(run.status)}</span>`;
  return `<header><h1>${esc(run.paper?.title ?? "paper2code run")}</h1>
<div>${status} · model ${esc(run.model ?? "?")} · ${total ? `${n(total.calls)} calls, ${n(total.inputTokens)} input / ${n(total.outputTokens)} output tokens` : ""} · ${usd(run.costUsd)}
${run.startedAt ? ` · started ${esc(run.startedAt.slice(0, 19).replace("T", " "))}` : ""}${run.threadId ? ` · run ${esc(run.threadId)}` : ""}</div>
${run.error ? `<p class="bad">${esc(run.error)}</p>` : ""}</header>`;
}

const NAV = [
  ["plan", "Plan"],
  ["design", "Design"],
  ["files", "Files"],
  ["reviews", "Reviews"],
  ["checks", "Static checks"],
  ["execution", "Smoke run"],
  ["timeline", "Timeline"],
  ["cost", "Cost"],
  ["notes", "Notes"],
];

/** The file dependency graph as a Mermaid flowchart (edges point from a file to what it imports). */
export function dependencyGraph(files: { path: string; dependsOn: string[] }[]): string {
  const id = new Map(files.map((f, i) => [f.path, `f${i}`]));
  const label = (p: string) => p.replace(/"/g, "'");
  return [
    "flowchart LR",
    ...files.map((f) => `  ${id.get(f.path)}["${label(f.path)}"]`),
    ...files.flatMap((f) => f.dependsOn.filter((d) => id.has(d)).map((d) => `  ${id.get(f.path)} --> ${id.get(d)}`)),
  ].join("\n");
}

function designSection(artifacts: string): string {
  const architecture = read(join(artifacts, "architecture.md"));
  const order = jsonIfExists<{ files: { path: string; dependsOn: string[] }[] }>(join(artifacts, "order.json"));
  const logic = read(join(artifacts, "logic.md"));
  return `<section id="design"><h2>Design</h2>
${architecture ? markdownHtml(architecture) : `<p class="muted">no architecture yet</p>`}
${order ? `<h3>File dependencies</h3>${mermaidHtml(dependencyGraph(order.files), "dependencies")}` : ""}
${logic ? `<details><summary>Logic design</summary>${markdownHtml(logic)}</details>` : ""}
</section>`;
}

function fileTree(paths: string[]): string {
  return paths
    .map((p) => {
      const depth = p.split("/").length - 1;
      return `${"  ".repeat(depth)}<a href="#${anchor(p)}">${esc(p.split("/").at(-1)!)}</a>${depth ? ` <span class="muted">${esc(p.split("/").slice(0, -1).join("/"))}/</span>` : ""}`;
    })
    .join("\n");
}

function filesSection(outDir: string, run: RunJson): string {
  const repo = join(outDir, "repo");
  const paths = filesUnder(repo);
  const lines = new Map((run.files ?? []).map((f) => [f.path, f.lines]));
  const blocks = paths.map((path) => {
    const analysis = read(join(outDir, "artifacts", "analysis", `${path}.md`));
    const text = readFileSync(join(repo, path), "utf8");
    return `<div class="file" id="${anchor(path)}" data-path="${esc(path)}"><h3>${esc(path)} <span class="muted">${n(lines.get(path) ?? text.split("\n").length)} lines</span></h3>
${analysis ? `<details><summary>Analysis</summary>${markdownHtml(analysis)}</details>` : ""}
${codeHtml(text, path)}</div>`;
  });
  return `<section id="files"><h2>Files (${paths.length})</h2><div class="files"><div class="tree">${fileTree(paths)}</div><div>${blocks.join("\n")}</div></div></section>`;
}

const severityCounts = (v: Verdict) =>
  ["high", "medium", "low"].map((s) => `${v.issues.filter((i) => i.severity === s).length} ${s}`).join(", ");

function reviewsSection(artifacts: string): string {
  const root = join(artifacts, "reviews");
  const verdictFiles = filesUnder(root).filter((p) => p.endsWith("-verdict.json"));
  if (!verdictFiles.length) return `<section id="reviews"><h2>Reviews</h2><p class="muted">no verification ran</p></section>`;
  const byArtifact = new Map<string, string[]>();
  for (const p of verdictFiles) {
    const key = p.split("/").slice(0, -1).join("/");
    byArtifact.set(key, [...(byArtifact.get(key) ?? []), p]);
  }
  const parts = [...byArtifact].map(([artifact, files]) => {
    const rounds = files
      .map((f) => ({ f, round: Number(/round-(\d+)-verdict/.exec(f)![1]) }))
      .sort((a, b) => a.round - b.round)
      .map(({ f, round }) => {
        const v = JSON.parse(readFileSync(join(root, f), "utf8")) as Verdict;
        const dir = join(root, artifact);
        const before = readdirSync(dir).find((x) => x.startsWith(`round-${round}-before.`));
        const after = readdirSync(dir).find((x) => x.startsWith(`round-${round}-after.`));
        const outcome = v.passed
          ? `<span class="ok">passed</span>`
          : v.action === "gave-up"
            ? `<span class="bad">gave up</span>`
            : `<span class="warn">refined</span>`;
        const issues = v.issues.length
          ? tableHtml({
              head: ["severity", "where", "problem", "suggestion", "from"],
              rows: v.issues.map((i) => [i.severity, i.location, i.problem, i.suggestion ?? "", i.source ?? ""]),
            })
          : "";
        const diff =
          before && after
            ? `<details><summary>Refinement: before / after</summary>${diffHtml(readFileSync(join(dir, before), "utf8"), readFileSync(join(dir, after), "utf8"), artifact)}</details>`
            : "";
        return `<div class="round"><h4>round ${round}: ${outcome}${v.score !== undefined ? ` · score ${v.score}/5` : ""} · ${severityCounts(v)}</h4>${v.summary ? `<p>${esc(v.summary)}</p>` : ""}${issues}${diff}</div>`;
      });
    return `<details class="review" data-artifact="${esc(artifact)}"><summary>${esc(artifact)} (${files.length} round${files.length > 1 ? "s" : ""})</summary>${rounds.join("\n")}</details>`;
  });
  return `<section id="reviews"><h2>Reviews</h2>${parts.join("\n")}</section>`;
}

function checksSection(artifacts: string): string {
  const rounds = filesUnder(join(artifacts, "checks"))
    .filter((p) => /^round-\d+\.json$/.test(p))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  if (!rounds.length) return `<section id="checks"><h2>Static checks</h2><p class="muted">no static check ran</p></section>`;
  const parts = rounds.map((p) => {
    const r = JSON.parse(readFileSync(join(artifacts, "checks", p), "utf8")) as {
      round: number;
      report: { ok: boolean; issues: { check: string; file: string; line?: number; message: string }[] };
      repairedFiles?: string[];
    };
    const issues = r.report.issues.length
      ? tableHtml({
          head: ["check", "file", "line", "problem"],
          rows: r.report.issues.map((i) => [i.check, i.file, i.line ?? "", i.message]),
        })
      : "";
    return `<div><h4>round ${r.round}: ${r.report.ok ? `<span class="ok">all passed</span>` : `<span class="bad">${r.report.issues.length} problem(s)</span>`}${r.repairedFiles?.length ? ` · repaired ${esc(r.repairedFiles.join(", "))}` : ""}</h4>${issues}</div>`;
  });
  return `<section id="checks"><h2>Static checks</h2>${parts.join("\n")}</section>`;
}

function executionSection(outDir: string, run: RunJson): string {
  const ex = run.execution;
  if (!ex) return `<section id="execution"><h2>Smoke run</h2><p class="muted">not run (run with --execute)</p></section>`;
  const runs = ex.runs.map((r) => {
    const log = read(join(outDir, r.log)) ?? "";
    return `<details><summary>round ${r.round}: ${r.passed ? `<span class="ok">passed</span>` : `<span class="bad">failed${r.failure ? ` [${esc(r.failure.kind)}] ${esc(r.failure.summary)}` : ""}</span>`} · ${(r.durationMs / 1000).toFixed(1)} s</summary>${codeHtml(log.slice(-20_000), "plaintext")}</details>`;
  });
  const rounds = ex.rounds.map((d) => {
    const diff = read(join(outDir, "artifacts", "debug", `round-${d.round}`, "changes.diff")) ?? "";
    return `<details><summary>debugger round ${d.round}: ${d.edits.map((e) => `${esc(e.path)} +${e.added} -${e.removed}`).join(", ") || esc(d.error ?? "no edit")}</summary>${d.diagnosis ? `<p>${esc(d.diagnosis)}</p>` : ""}${unifiedDiffHtml(diff)}</details>`;
  });
  return `<section id="execution"><h2>Smoke run</h2><p>${ex.passed ? `<span class="ok">passed</span>` : `<span class="bad">failed</span>`} · ${ex.debugRounds} debugger round(s) · ${esc(ex.isolation)}</p>${runs.join("\n")}${rounds.join("\n")}</section>`;
}

/** Which call ran when, for how long: one bar per call on a shared time axis. */
export function timelineHtml(calls: CallRecord[]): string {
  const timed = calls.filter((c) => c.startedAt && !c.replayed).map((c) => ({ c, start: Date.parse(c.startedAt!) }));
  // A call answered from the journal (a resumed run) took no time in this run: counted, not drawn.
  const replayed = calls.filter((c) => c.replayed).length;
  const fromJournal = (more: string) =>
    replayed ? `; ${replayed}${more} answered from the call journal (paid before, no time taken here; not drawn)` : "";
  if (!timed.length) return `<p class="muted">no timed call${fromJournal("")}</p>`;
  const t0 = Math.min(...timed.map((t) => t.start));
  const span = Math.max(1, Math.max(...timed.map((t) => t.start + t.c.durationMs)) - t0);
  const pct = (ms: number) => ((100 * ms) / span).toFixed(3);
  const rows = timed
    .sort((a, b) => a.start - b.start)
    .map(({ c, start }) => {
      const stage = ["planning", "analysis", "coding", "execution"].includes(stageOf(c)) ? stageOf(c) : "other";
      const label = `${c.agent}${c.stage && /verifier|refiner/.test(c.agent) ? ` (${c.stage})` : ""}${c.file ? ` ${c.file}` : ""}`;
      const title = `${label}: ${(c.durationMs / 1000).toFixed(1)} s from +${((start - t0) / 1000).toFixed(1)} s, ${n(c.inputTokens)} in / ${n(c.outputTokens)} out`;
      return `<div class="row" title="${esc(title)}"><div class="label">${esc(label)}</div><div class="lane"><div class="bar ${stage}" style="left:${pct(start - t0)}%;width:${pct(c.durationMs)}%"></div></div></div>`;
    });
  return `<p class="muted">${timed.length} calls over ${(span / 1000).toFixed(1)} s${fromJournal(" more")}; colour by stage (planning, analysis, coding, execution).</p><div class="timeline" data-calls="${timed.length}">${rows.join("")}</div>`;
}

/** Tokens and cost by stage and by agent (the same sums as run.json). */
export function costTables(run: RunJson): string {
  const calls = run.calls ?? [];
  const rowsBy = (by: Record<string, Usage>, costOf: (key: string) => number | null | undefined) =>
    Object.entries(by).map(([key, u]) => [key, n(u.calls), n(u.inputTokens), n(u.cachedInputTokens), n(u.outputTokens), usd(costOf(key))]);
  const head = ["", "calls", "input tokens", "of it cached", "output tokens", "cost"];
  const byStage = run.usage ? rowsBy(run.usage.byStage, (k) => run.cost?.byStage?.[k]) : [];
  const byAgent = run.usage ? rowsBy(run.usage.byAgent, (k) => costOfCalls(calls.filter((c) => c.agent === k))) : [];
  const total = run.usage?.total;
  const totalRow = total
    ? [["total", n(total.calls), n(total.inputTokens), n(total.cachedInputTokens), n(total.outputTokens), usd(run.costUsd)]]
    : [];
  return `<h3>By stage</h3>${tableHtml({ head, rows: [...byStage, ...totalRow], className: "cost by-stage" })}<h3>By agent</h3>${tableHtml({ head, rows: [...byAgent, ...totalRow], className: "cost by-agent" })}`;
}

/** report.html of one run folder: plan, diagrams, files, reviews, checks, smoke run, timeline and cost. */
export function runReportHtml(outDir: string): string {
  const run = jsonIfExists<RunJson>(join(outDir, "run.json"));
  if (!run) throw new Error(`${outDir} has no run.json`);
  const artifacts = join(outDir, "artifacts");
  const plan = read(join(artifacts, "plan.md"));
  const config = read(join(artifacts, "config.yaml"));
  const notes = run.notes ?? [];
  const body = `${header(run)}
<nav>${NAV.map(([id, label]) => `<a href="#${id}">${label}</a>`).join("")}</nav>
<main>
<section id="plan"><h2>Plan</h2>${plan ? markdownHtml(plan) : `<p class="muted">no plan yet</p>`}
${config ? `<details><summary>config.yaml</summary>${codeHtml(config, "yaml")}</details>` : ""}</section>
${designSection(artifacts)}
${filesSection(outDir, run)}
${reviewsSection(artifacts)}
${checksSection(artifacts)}
${executionSection(outDir, run)}
<section id="timeline"><h2>Timeline of the model calls</h2>${timelineHtml(run.calls ?? [])}</section>
<section id="cost"><h2>Tokens and cost</h2>${costTables(run)}</section>
<section id="notes"><h2>Notes</h2>${notes.length ? `<ul>${notes.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : `<p class="muted">none</p>`}</section>
</main>`;
  return page(`paper2code: ${run.paper?.title ?? outDir}`, body, { mermaid: true });
}

/** Write report.html beside run.json; returns its path. */
export async function writeReportHtml(outDir: string): Promise<string> {
  const path = join(outDir, "report.html");
  await writeFileAtomic(path, runReportHtml(outDir), tempDirOf(outDir));
  return path;
}
