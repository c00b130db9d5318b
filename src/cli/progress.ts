import { styleText } from "node:util";
import { PLANNING_STAGES } from "../../graphs/stages.js";
import { LiveRegion } from "./live-region.js";
import { callEvents, type CallInFlight } from "../llm/call-events.js";
import { costOfCalls } from "../llm/prices.js";
import type { CallRecord } from "../llm/usage.js";
import type { ReviewRecord } from "../review/types.js";
import type { PaperRecord } from "../state.js";

const n = (v: number) => v.toLocaleString("en");

function paperDetail(paper: PaperRecord | undefined): string {
  if (!paper) return "";
  return paper.sent
    ? `${n(paper.tokens)} tokens (main text ${n(paper.sent.main)}, appendix ${n(paper.sent.appendix)})`
    : `${n(paper.tokens)} tokens`;
}

/** A finished step as a person reads it: an honest mark, a label, what came of it. */
export interface Step {
  mark: "✓" | "↻" | "!" | "✗";
  label: string;
  detail: string;
  usage: string;
  file: string;
}

type Update = Record<string, unknown>;

const MARK_OF_ACTION: Record<ReviewRecord["action"], Step["mark"]> = { accepted: "✓", refine: "↻", "gave-up": "✗" };
const WORD_OF_ACTION: Record<ReviewRecord["action"], string> = {
  accepted: "accepted",
  refine: "refining",
  "gave-up": "gave up with issues left",
};

/** What a node's update says, for a progress line. */
export function describeStep(node: string, update: Update): Step {
  const calls = (update.calls as CallRecord[] | undefined) ?? [];
  const tokens = calls.reduce((s, c) => ({ in: s.in + c.inputTokens, out: s.out + c.outputTokens }), { in: 0, out: 0 });
  const usage = calls.length ? `${n(tokens.in)} in / ${n(tokens.out)} out` : "";
  const file = calls[0]?.file ?? "";
  const label = labelOf(node);
  const step = (mark: Step["mark"], detail: string): Step => ({ mark, label, detail, usage, file });
  if (node === "plan_files") return step("✓", `${(update.files as unknown[] | undefined)?.length ?? 0} files to write`);
  if (node === "reconcile_design") {
    const issues = (update.reviews as { issues: unknown[] }[] | undefined)?.[0]?.issues.length ?? 0;
    return issues
      ? step("↻", `${issues} config key(s) the design names are not in config.yaml`)
      : step("✓", "the design uses config.yaml's keys");
  }
  if (node === "ingest") return step("✓", paperDetail(update.paper as PaperRecord | undefined));
  if (node === "finalize") return step(update.status === "complete" ? "✓" : "✗", String(update.status ?? ""));
  if (node.startsWith("verify_")) {
    const review = (update.reviews as ReviewRecord[] | undefined)?.[0];
    if (!review) return step("✓", "");
    const counts = ["high", "medium", "low"]
      .map((s) => [s, review.issues.filter((i) => i.severity === s).length] as const)
      .filter(([, c]) => c);
    return step(
      MARK_OF_ACTION[review.action],
      `${WORD_OF_ACTION[review.action]}${counts.length ? ` (${counts.map(([s, c]) => `${c} ${s}`).join(", ")})` : ""}`,
    );
  }
  if (node === "check_code") {
    const round = (update.codeChecks as { report: { issues: unknown[] } }[] | undefined)?.[0];
    if (!round) return step("✓", "");
    return round.report.issues.length ? step("!", `${round.report.issues.length} problem(s)`) : step("✓", "all passed");
  }
  if (node === "smoke_run") {
    const run = (update.smokeRuns as { passed: boolean; failure?: { kind: string; summary: string } }[] | undefined)?.[0];
    if (!run) return step("✓", "");
    return run.passed ? step("✓", "passed") : step("✗", `failed: [${run.failure?.kind}] ${run.failure?.summary ?? ""}`);
  }
  return step("✓", file);
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
  smoke_run: "smoke run",
  debugger: "debugger",
  execution_report: "execution report",
};

/** A node's name for people: every node of the graph has one. */
export const labelOf = (node: string) => LABELS[node] ?? node.replace(/_/g, " ");

const MARK_COLOR = { "✓": "green", "↻": "yellow", "!": "yellow", "✗": "red" } as const;

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
};

export interface ProgressOptions {
  enabled: boolean;
  /** Redraw a live view in place (a terminal, not --plain, not --json). */
  live?: boolean;
  /** Colour the marks (a terminal without NO_COLOR). */
  color?: boolean;
  /** Calls already made by this run (a resumed one): counted in the totals. */
  earlierCalls?: CallRecord[];
}

/**
 * Progress on stderr: one line per finished step or file with the tokens it
 * used; on a terminal, below them, a live view redrawn every second: the calls
 * in flight with their elapsed time, files analysed and written, tokens and cost so far.
 */
export class Progress {
  private readonly started = Date.now();
  private readonly inFlight = new Map<number, CallInFlight>();
  private calls: CallRecord[];
  private files = 0;
  private toAnalyse = 0;
  private readonly analysed = new Set<string>();
  private readonly written = new Set<string>();
  private stage = "starting";
  private live?: LiveRegion;
  private readonly onStart = (call: CallInFlight) => {
    this.inFlight.set(call.id, call);
    this.redraw();
  };
  private readonly onEnd = (call: CallInFlight) => {
    this.inFlight.delete(call.id);
    // A file's analysis or code has arrived when its call ends; the graph reports it only when the file's whole task ends.
    if (call.file && call.agent === "analyst") this.analysed.add(call.file);
    if (call.file && call.agent === "coder") this.written.add(call.file);
    this.redraw();
  };

  constructor(private readonly options: ProgressOptions) {
    this.calls = [...(options.earlierCalls ?? [])];
  }

  /** Begin the live view (a no-op for plain lines); `stop` ends it. */
  async start() {
    if (!this.options.enabled || !this.options.live) return;
    this.live = await LiveRegion.open(() => this.view());
    callEvents.on("start", this.onStart).on("end", this.onEnd);
  }

  stop() {
    if (!this.live) return;
    callEvents.off("start", this.onStart).off("end", this.onEnd);
    this.live.close();
    this.live = undefined;
  }

  line(text: string) {
    if (!this.options.enabled) return;
    if (this.live) this.live.above(text);
    else process.stderr.write(`${text}\n`);
  }

  nodeDone(node: string, update: Update | undefined) {
    if (!this.options.enabled || !update || node.endsWith("_ready")) return;
    this.calls.push(...((update.calls as CallRecord[] | undefined) ?? []));
    if (Array.isArray(update.files)) {
      const files = update.files as { kind?: string }[];
      this.files = files.length;
      // Only the paper's own code is analysed; markers, tests and support files go straight to their coder.
      this.toAnalyse = files.filter((f) => f.kind === "code").length;
    }
    for (const path of Object.keys((update.analyses as object | undefined) ?? {})) this.analysed.add(path);
    for (const path of Object.keys((update.code as object | undefined) ?? {})) this.written.add(path);
    this.stage = labelOf(node);
    const step = describeStep(node, update);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    const mark = this.options.color ? styleText(MARK_COLOR[step.mark], step.mark) : step.mark;
    this.line(
      `[${seconds}s] ${mark} ${step.label.padEnd(15)} ${step.detail.padEnd(step.file ? 24 : 0)}${step.usage ? `  ${step.usage}` : ""}`,
    );
    if (node === "ingest")
      for (const warning of (update.paper as PaperRecord | undefined)?.warnings ?? []) this.line(`          warning: ${warning}`);
  }

  /** The live view's text, `width` columns wide at most. */
  view(now = Date.now(), width = process.stderr.columns || 80): string {
    const input = this.calls.reduce((s, c) => s + c.inputTokens, 0);
    const output = this.calls.reduce((s, c) => s + c.outputTokens, 0);
    const cost = costOfCalls(this.calls.filter((c) => !c.replayed));
    const files = this.files ? ` · analysed ${this.analysed.size}/${this.toAnalyse} · written ${this.written.size}/${this.files}` : "";
    const head = `● ${this.stage} · ${clock(now - this.started)} · ${this.inFlight.size} call(s) in flight${files} · ${n(input)} in / ${n(output)} out · ${cost === undefined ? "cost unknown" : `$${cost.toFixed(2)}`}`;
    const calls = [...this.inFlight.values()]
      .sort((a, b) => a.startedAt - b.startedAt)
      .slice(0, 12)
      .map((c) => `  ⋯ ${labelOf(c.agent)}${c.file ? ` ${c.file}` : ""}  ${clock(now - c.startedAt)}`);
    const more = this.inFlight.size > 12 ? [`  … and ${this.inFlight.size - 12} more`] : [];
    const fit = (line: string) => (line.length > width - 1 ? `${line.slice(0, Math.max(10, width - 2))}…` : line);
    return [head, ...calls, ...more].map(fit).join("\n");
  }

  private redraw() {
    this.live?.redraw();
  }
}
