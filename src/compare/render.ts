import { costOfCalls, usd } from "../llm/prices.js";
import { stageOf } from "../run-report.js";
import { fileChange, type ComparedRun, type RoundSummary } from "./runs.js";

const n = (v: number) => v.toLocaleString("en");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

const issues = (r: RoundSummary | undefined) => (r ? `${r.issues.high}/${r.issues.medium}/${r.issues.low}` : "");
const outcome = (r: RoundSummary | undefined) => (!r ? "" : r.passed ? "passed" : r.action === "gave-up" ? "gave up" : "refined");

/** What differs between runs of one paper, the first run the baseline: the comparison as data. */
export function compareRuns(runs: ComparedRun[]) {
  const [base] = runs;
  const artifacts = [...new Set(runs.flatMap((r) => Object.keys(r.reviews)))].sort();
  const stages = [...new Set(runs.flatMap((r) => (r.run.calls ?? []).map(stageOf)))];
  const paths = [...new Set(runs.flatMap((r) => Object.keys(r.files)))].sort();
  return {
    runs: runs.map((r) => ({
      name: r.name,
      outDir: r.outDir,
      model: r.run.model,
      status: r.run.status,
      calls: r.run.usage?.total.calls ?? 0,
      inputTokens: r.run.usage?.total.inputTokens ?? 0,
      outputTokens: r.run.usage?.total.outputTokens ?? 0,
      costUsd: r.run.costUsd ?? null,
      wallMs: (r.run as { timings?: { wall?: { ms: number } } }).timings?.wall?.ms,
      checks: r.run.checks ? { ok: r.run.checks.ok, rounds: r.run.checks.rounds } : undefined,
      smoke: r.run.execution ? { passed: r.run.execution.passed, debugRounds: r.run.execution.debugRounds } : undefined,
      eval: r.eval,
    })),
    reviews: artifacts.map((artifact) => ({
      artifact,
      runs: runs.map((r) => {
        const rounds = r.reviews[artifact] ?? [];
        return { rounds: rounds.length, scores: rounds.map((x) => x.score), first: rounds[0], last: rounds.at(-1) };
      }),
    })),
    stages: stages.map((stage) => ({
      stage,
      runs: runs.map((r) => {
        const calls = (r.run.calls ?? []).filter((c) => stageOf(c) === stage);
        return {
          calls: calls.length,
          inputTokens: calls.reduce((s, c) => s + c.inputTokens, 0),
          outputTokens: calls.reduce((s, c) => s + c.outputTokens, 0),
          costUsd: costOfCalls(calls) ?? null,
          ms: calls.reduce((s, c) => s + c.durationMs, 0),
        };
      }),
    })),
    files: paths.map((path) => ({
      path,
      runs: runs.map((r) => {
        const text = r.files[path];
        const change = r === base ? undefined : fileChange(base!.files[path], text, path);
        return { lines: text === undefined ? undefined : text.split("\n").length - (text.endsWith("\n") ? 1 : 0), change };
      }),
    })),
  };
}

/** The comparison as Markdown: totals, reviews, stages, files, then the diffs against the first run. */
export function compareMarkdown(runs: ComparedRun[]): string {
  const c = compareRuns(runs);
  const names = c.runs.map((r) => r.name);
  const out: string[] = [`# Comparing ${runs.length} runs (baseline: ${names[0]})`, ""];
  out.push(
    table(
      ["", ...names],
      [
        ["folder", ...c.runs.map((r) => r.outDir)],
        ["model", ...c.runs.map((r) => r.model ?? "")],
        ["status", ...c.runs.map((r) => r.status)],
        ["calls", ...c.runs.map((r) => n(r.calls))],
        ["tokens in / out", ...c.runs.map((r) => `${n(r.inputTokens)} / ${n(r.outputTokens)}`)],
        ["cost", ...c.runs.map((r) => usd(r.costUsd))],
        ["wall-clock", ...c.runs.map((r) => (r.wallMs === undefined ? "" : seconds(r.wallMs)))],
        [
          "static checks",
          ...c.runs.map((r) =>
            !r.checks ? "not run" : r.checks.ok ? `passed (${r.checks.rounds} round(s))` : `problems left (${r.checks.rounds} round(s))`,
          ),
        ],
        [
          "smoke run",
          ...c.runs.map((r) =>
            !r.smoke ? "not run" : `${r.smoke.passed ? "passed" : "failed"} (${r.smoke.debugRounds} debugger round(s))`,
          ),
        ],
        [
          "evaluation",
          ...c.runs.map((r) =>
            !r.eval
              ? "none found"
              : [
                  r.eval.rubric !== undefined ? `rubric ${r.eval.rubric.toFixed(1)}%` : "",
                  r.eval.referenceFree !== undefined && r.eval.referenceFree !== null
                    ? `reference-free ${r.eval.referenceFree.toFixed(2)}/5`
                    : "",
                  r.eval.referenceBased !== undefined && r.eval.referenceBased !== null
                    ? `reference-based ${r.eval.referenceBased.toFixed(2)}/5`
                    : "",
                ]
                  .filter(Boolean)
                  .join(", "),
          ),
        ],
      ],
    ),
  );
  out.push(
    "",
    "## Reviews",
    "",
    "Rounds, the verifier's scores round by round, and issues high/medium/low in the first and the last round.",
    "",
  );
  out.push(
    table(
      ["artifact", ...names.flatMap((name) => [`${name} rounds`, `${name} scores`, `${name} issues first → last`, `${name} outcome`])],
      c.reviews.map((r) => [
        r.artifact,
        ...r.runs.flatMap((x) => [
          x.rounds,
          x.scores.map((s) => s ?? "-").join(" → "),
          x.rounds ? `${issues(x.first)} → ${issues(x.last)}` : "",
          outcome(x.last),
        ]),
      ]),
    ),
  );
  out.push("", "## Stages", "");
  out.push(
    table(
      ["stage", ...names.flatMap((name) => [`${name} calls`, `${name} tokens in / out`, `${name} cost`, `${name} call time`])],
      c.stages.map((s) => [
        s.stage,
        ...s.runs.flatMap((x) => [x.calls, `${n(x.inputTokens)} / ${n(x.outputTokens)}`, usd(x.costUsd), seconds(x.ms)]),
      ]),
    ),
  );
  out.push("", `## Files (against ${names[0]})`, "");
  out.push(
    table(
      ["file", ...names.map((name) => `${name} lines`), ...names.slice(1).map((name) => `${name} vs ${names[0]}`)],
      c.files.map((f) => [
        f.path,
        ...f.runs.map((x) => (x.lines === undefined ? "—" : x.lines)),
        ...f.runs
          .slice(1)
          .map((x) =>
            f.runs[0]!.lines === undefined
              ? "only here"
              : x.lines === undefined
                ? `only in ${names[0]}`
                : x.change!.diff
                  ? `changed (+${x.change!.added} −${x.change!.removed})`
                  : "same",
          ),
      ]),
    ),
  );
  const diffs = c.files.flatMap((f) =>
    f.runs.slice(1).flatMap((x, i) => (x.change?.diff ? [{ path: f.path, name: names[i + 1]!, diff: x.change.diff }] : [])),
  );
  if (diffs.length) {
    out.push("", "## Diffs", "");
    for (const d of diffs) out.push(`### ${d.path} (${names[0]} → ${d.name})`, "", "```diff", d.diff, "```", "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
