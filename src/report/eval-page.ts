import type { ScoredNode } from "../eval/rubric.js";
import type { LeafJudgment, RepositorySample } from "../eval/state.js";
import { esc, markdownHtml, page, tableHtml } from "./html.js";

/** What the page reads of eval.json (src/eval/report.ts builds it; declared here so that the report does not import its builder). */
export interface EvalPageInput {
  status: string;
  judge?: string;
  repository?: string;
  paper?: { title?: string };
  rubric?: { score: number; passed: number; leaves: number; tree: unknown; judgments: LeafJudgment[] };
  referenceFree?: { mode: string; judgments: RepositorySample[] };
  referenceBased?: { mode: string; judgments: RepositorySample[] };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The rubric tree, each node with its score; a leaf with the judge's reason and the files it read. */
function treeHtml(node: ScoredNode, judgments: Map<string, LeafJudgment>, depth = 0): string {
  if (!node.children.length) {
    const j = judgments.get(node.id);
    const mark = !j
      ? `<span class="muted">not judged</span>`
      : !j.valid
        ? `<span class="bad">no valid judgment (0)</span>`
        : j.score
          ? `<span class="ok">met (1)</span>`
          : `<span class="bad">not met (0)</span>`;
    const files = j?.files.length
      ? `<p class="muted">read: ${j.files.map((f) => `${esc(f.path)} (${f.tokens.toLocaleString("en")} tokens${f.truncated ? ", cut" : ""})`).join(", ")}</p>`
      : "";
    return `<div class="leaf" data-leaf="${esc(node.id)}" data-score="${j?.score ?? ""}"><p>${mark} · weight ${node.weight} · <b>${esc(node.requirements)}</b> <span class="muted">(${esc(node.id)})</span></p>${j ? `<p>${esc(j.explanation)}</p>` : ""}${files}</div>`;
  }
  return `<details${depth < 2 ? " open" : ""} data-node="${esc(node.id)}"><summary>${pct(node.score)} · weight ${node.weight} · ${esc(node.requirements)}</summary>${node.children.map((c) => treeHtml(c, judgments, depth + 1)).join("")}</details>`;
}

/** eval.html: the scores, the rubric tree with each leaf's judgment, the repository-level samples, tokens and cost. */
export function evalReportHtml(report: EvalPageInput, markdown: string): string {
  const rubric = report.rubric;
  const judgments = new Map((rubric?.judgments ?? []).map((j) => [j.id, j]));
  const samples = [report.referenceFree, report.referenceBased].filter((m) => m !== undefined);
  const body = `<header><h1>Evaluation: ${esc(report.paper?.title ?? report.repository ?? "")}</h1>
<div>${esc(report.status)} · judge ${esc(report.judge ?? "?")} · ${esc(report.repository ?? "")}${rubric ? ` · rubric ${rubric.score.toFixed(1)}% (${rubric.passed} of ${rubric.leaves} leaves met)` : ""}</div></header>
<main>
${rubric ? `<section id="rubric"><h2>Rubric</h2>${treeHtml(rubric.tree as ScoredNode, judgments)}</section>` : ""}
${samples
  .map(
    (m) =>
      `<section><h2>${esc(m.mode)}</h2>${tableHtml({
        head: ["sample", "score", "summary", "files shown"],
        rows: m.judgments.map((s) => [
          s.sample,
          s.valid ? String(s.judgment!.score) : `invalid: ${s.problem ?? ""}`,
          s.judgment?.summary ?? "",
          s.shown.join(", "),
        ]),
      })}</section>`,
  )
  .join("")}
<section><h2>Summary</h2>${markdownHtml(markdown)}</section>
</main>`;
  return page(`paper2code eval: ${report.paper?.title ?? ""}`, body);
}
