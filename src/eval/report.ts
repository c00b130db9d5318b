import { evalReportHtml } from "../report/eval-page.js";
import { join } from "node:path";
import { costOfCalls, costsBy } from "../llm/prices.js";
import { summarizeCalls } from "../llm/usage.js";
import { writeFileAtomic } from "../workspace/writer.js";
import { summarizeRubric, summarizeSamples, type SampleSummary } from "./aggregate.js";
import { leavesOf } from "./rubric.js";
import type { EvalState } from "./state.js";

export interface EvalReportMeta {
  status: "complete" | "incomplete" | "stopped" | "failed";
  judge?: string;
  error?: string;
  settings?: Record<string, unknown>;
  threadId?: string;
}

export type EvalReport = ReturnType<typeof buildEvalReport>;

/** Everything the evaluation found: each judgment with its reason, the aggregates, tokens and cost. */
export function buildEvalReport(state: EvalState, meta: EvalReportMeta) {
  const modes = state.modes ?? [];
  const usage = summarizeCalls(state.calls);
  const costs = costsBy(state.calls, (c) => c.agent);
  const byAgent = Object.fromEntries(
    Object.entries(usage.byKey).map(([agent, totals]) => [agent, { ...totals, costUsd: costs[agent] ?? null }]),
  );
  const rubric = state.rubric && modes.includes("rubric") ? summarizeRubric(state.rubric, state.leaves) : undefined;
  const leafRequirements = new Map((rubric ? leavesOf(state.rubric!) : []).map((n) => [n.id, n.requirements]));
  return {
    version: 1,
    status: meta.status,
    ...(meta.error ? { error: meta.error } : {}),
    ...(meta.threadId ? { evaluation: meta.threadId } : {}),
    repository: state.submission?.root ?? state.repoPath,
    paper: state.paper
      ? { title: state.paper.title, source: state.paper.source, tokens: state.paper.tokens, warnings: state.paper.warnings }
      : undefined,
    judge: meta.judge,
    modes,
    settings: meta.settings ?? {},
    ...(modes.includes("reference-free")
      ? { referenceFree: { ...summarizeSamples("reference-free", state.samples), judgments: samplesOf(state, "reference-free") } }
      : {}),
    ...(modes.includes("reference-based")
      ? {
          referenceBased: {
            ...summarizeSamples("reference-based", state.samples),
            reference: state.reference?.root ?? state.referencePath,
            selection: state.referenceSelection,
            judgments: samplesOf(state, "reference-based"),
          },
        }
      : {}),
    ...(rubric
      ? {
          rubric: {
            score: rubric.score,
            leaves: rubric.leaves,
            judged: rubric.judged,
            passed: rubric.passed,
            invalid: rubric.invalid,
            sections: rubric.sections,
            failed: rubric.failed,
            judgments: Object.values(state.leaves)
              .sort((a, b) => a.id.localeCompare(b.id))
              .map((l) => ({ ...l, requirements: leafRequirements.get(l.id) })),
            tree: rubric.tree,
          },
        }
      : {}),
    usage: { total: usage.total, byAgent },
    costUsd: costOfCalls(state.calls) ?? null,
    notes: state.notes,
    /** Every judge call: what it judged (file: the mode and sample, or the leaf), its tokens, whether it was a re-ask or answered from the journal. */
    calls: state.calls,
  };
}

const samplesOf = (state: EvalState, mode: string) => state.samples.filter((s) => s.mode === mode).sort((a, b) => a.sample - b.sample);

const pct = (x: number) => `${x.toFixed(1)}%`;
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function samplesMarkdown(title: string, s: SampleSummary): string[] {
  const lines = [`## ${title}`, ""];
  lines.push(
    s.mean === null
      ? `**No valid judgment** among ${s.samples} sample(s) (${s.invalidReplies} unusable replies).`
      : `**Score: ${s.mean.toFixed(2)} / 5** (mean of ${s.valid} valid sample(s) of ${s.samples}; sd ${s.stdev!.toFixed(2)}; scores ${s.scores.join(", ")}).`,
  );
  if (s.invalid || s.invalidReplies)
    lines.push(
      "",
      `Invalid: ${s.invalid} sample(s) without a usable judgment, ${s.invalidReplies} unusable repl(ies) in all (re-asked ones included); left out of the mean.`,
    );
  if (s.problems.length) {
    lines.push(
      "",
      "Components judged not correct (how many valid samples said so):",
      "",
      "| severity | component | status | samples | critique |",
      "|---|---|---|---|---|",
    );
    for (const p of s.problems)
      lines.push(
        `| ${p.severity} | ${oneLine(p.name)} | ${p.status} | ${p.samples}/${s.valid} | ${oneLine(p.critique).replace(/\|/g, "\\|")} |`,
      );
  }
  return lines;
}

/** The Markdown summary: scores, per-section scores, the failed leaves, tokens and cost. */
export function renderEvalMarkdown(report: EvalReport): string {
  const lines = [`# Evaluation of ${report.repository}`, ""];
  lines.push(
    `Paper: ${report.paper?.title ?? "?"}. Judge: ${report.judge ?? "?"}. Status: ${report.status}${report.error ? ` (${report.error})` : ""}.`,
    "",
  );
  if (report.referenceFree) lines.push(...samplesMarkdown("Reference-free", report.referenceFree), "");
  if (report.referenceBased) {
    lines.push(...samplesMarkdown("Reference-based", report.referenceBased));
    const sel = report.referenceBased.selection;
    if (sel)
      lines.push(
        "",
        `Authors' files read (${sel.by === "judge" ? "chosen by the judge" : sel.by === "user" ? "listed by the user" : sel.by === "all" ? "all of them" : "code first: the judge gave no usable choice"}): ${sel.files.join(", ")}.`,
      );
    lines.push("");
  }
  const r = report.rubric;
  if (r) {
    lines.push(
      "## Rubric",
      "",
      `**Score: ${pct(r.score)}** (weighted; ${r.passed} of ${r.leaves} leaves met${r.judged < r.leaves ? `; ${r.leaves - r.judged} not judged yet, counted 0` : ""}${r.invalid ? `; ${r.invalid} without a valid judgment, counted 0` : ""}).`,
      "",
    );
    lines.push("| section | weight | score | leaves met |", "|---|---|---|---|");
    for (const s of r.sections)
      lines.push(
        `| ${"&nbsp;&nbsp;".repeat(s.depth - 1)}${oneLine(s.requirements).slice(0, 100)} | ${s.weight} | ${pct(s.score)} | ${s.passed}/${s.leaves} |`,
      );
    if (r.failed.length) {
      lines.push("", "### Failed leaves", "");
      for (const f of r.failed)
        lines.push(`- **${f.id}**${f.valid ? "" : " (no valid judgment)"}: ${oneLine(f.requirements)}\n  - ${oneLine(f.explanation)}`);
    }
    lines.push("");
  }
  const t = report.usage.total;
  const cost = report.costUsd === null ? "cost unknown (no price for the judge; --prices adds one)" : `$${report.costUsd.toFixed(4)}`;
  lines.push(
    "## Tokens and cost",
    "",
    `${t.calls} judge calls, ${t.inputTokens.toLocaleString("en")} input tokens (${t.cachedInputTokens.toLocaleString("en")} cached), ${t.outputTokens.toLocaleString("en")} output tokens, ${cost}.`,
  );
  if (report.notes.length) lines.push("", "## Notes", "", ...report.notes.map((n) => `- ${n}`));
  return `${lines.join("\n")}\n`;
}

/** Write eval.json and eval.md into the evaluation's folder. */
export async function writeEvalReport(outDir: string, state: EvalState, meta: EvalReportMeta): Promise<EvalReport> {
  const report = buildEvalReport(state, meta);
  await writeFileAtomic(join(outDir, "eval.json"), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderEvalMarkdown(report);
  await writeFileAtomic(join(outDir, "eval.md"), markdown);
  await writeFileAtomic(join(outDir, "eval.html"), evalReportHtml(report, markdown));
  return report;
}
