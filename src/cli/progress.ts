import { PLANNING_STAGES } from "../../graphs/stages.js";
import type { CallRecord } from "../llm/usage.js";
import type { PaperRecord } from "../state.js";

function paperDetail(paper: PaperRecord | undefined): string {
  if (!paper) return "";
  const n = (v: number) => v.toLocaleString("en");
  return paper.sent
    ? `${n(paper.tokens)} tokens (main text ${n(paper.sent.main)}, appendix ${n(paper.sent.appendix)})`
    : `${n(paper.tokens)} tokens`;
}

/** Progress lines on stderr: one per finished stage or file, with the tokens it used. */
export class Progress {
  private readonly started = Date.now();
  constructor(private readonly enabled: boolean) {}

  line(text: string) {
    if (this.enabled) process.stderr.write(`${text}\n`);
  }

  nodeDone(node: string, update: Record<string, unknown> | undefined) {
    if (!this.enabled || !update || node.endsWith("_ready")) return;
    const calls = (update.calls as CallRecord[] | undefined) ?? [];
    const tokens = calls.reduce((s, c) => ({ in: s.in + c.inputTokens, out: s.out + c.outputTokens }), { in: 0, out: 0 });
    const usage = calls.length ? `  ${tokens.in.toLocaleString("en")} in / ${tokens.out.toLocaleString("en")} out` : "";
    const file = calls[0]?.file ?? "";
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    const label = LABELS[node] ?? node;
    const detail =
      node === "plan_files"
        ? `${(update.files as unknown[] | undefined)?.length ?? 0} files to write`
        : node === "reconcile_design"
          ? (() => {
              const issues = (update.reviews as { issues: unknown[] }[] | undefined)?.[0]?.issues.length ?? 0;
              return issues ? `${issues} config key(s) the design names are not in config.yaml` : "the design uses config.yaml's keys";
            })()
          : node === "ingest"
            ? paperDetail(update.paper as PaperRecord | undefined)
            : node === "finalize"
              ? String(update.status ?? "")
              : node.startsWith("verify_")
                ? String((update.reviews as { action?: string }[] | undefined)?.[0]?.action ?? "")
                : node === "check_code"
                  ? (() => {
                      const round = (update.codeChecks as { report: { issues: unknown[] } }[] | undefined)?.[0];
                      return round ? `${round.report.issues.length} problem(s)` : "";
                    })()
                  : file;
    const mark = node === "finalize" && update.status !== "complete" ? "✗" : "✓";
    this.line(`[${seconds}s] ${mark} ${label.padEnd(15)} ${detail.padEnd(file ? 24 : 0)}${usage}`);
    if (node === "ingest")
      for (const warning of (update.paper as PaperRecord | undefined)?.warnings ?? []) this.line(`          warning: ${warning}`);
  }
}

/** A stage's name short enough for a progress line ("architecture": "arch."). */
const short = (name: string) => (name.length > 8 ? `${name.slice(0, 4)}.` : name);

const LABELS: Record<string, string> = {
  ingest: "paper loaded",
  ...Object.fromEntries(
    PLANNING_STAGES.flatMap(({ stage }) => [
      [stage.node, stage.title],
      [`verify_${stage.name}`, `verify ${short(stage.name)}`],
      [`refine_${stage.name}`, `refine ${short(stage.name)}`],
    ]),
  ),
  plan_files: "file order",
  reconcile_design: "design vs config",
  reconcile_logic: "refine logic",
  analyst: "analyst",
  coder: "coder",
  finalize: "finalize",
  analysis: "analyst",
  file: "analyst+coder",
  check_code: "static checks",
  repair_code: "repair",
};
