import type { CallRecord } from "../llm/usage.js";

/** Progress lines on stderr: one per finished stage or file, with the tokens it used. */
export class Progress {
  private readonly started = Date.now();
  constructor(private readonly enabled: boolean) {}

  line(text: string) {
    if (this.enabled) process.stderr.write(`${text}\n`);
  }

  nodeDone(node: string, update: Record<string, unknown> | undefined) {
    if (!this.enabled || !update) return;
    const calls = (update.calls as CallRecord[] | undefined) ?? [];
    const tokens = calls.reduce((s, c) => ({ in: s.in + c.inputTokens, out: s.out + c.outputTokens }), { in: 0, out: 0 });
    const usage = calls.length ? `  ${tokens.in.toLocaleString("en")} in / ${tokens.out.toLocaleString("en")} out` : "";
    const file = calls[0]?.file ?? "";
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1).padStart(6);
    const label = LABELS[node] ?? node;
    const detail = node === "plan_files" ? `${(update.files as unknown[] | undefined)?.length ?? 0} files to write` : file;
    this.line(`[${seconds}s] ✓ ${label.padEnd(16)} ${detail}${usage}`);
  }
}

const LABELS: Record<string, string> = {
  ingest: "paper loaded",
  planner: "planner",
  architect: "architect",
  logic_designer: "logic designer",
  config_writer: "config writer",
  plan_files: "file order",
  analyst: "analyst",
  coder: "coder",
  finalize: "finalize",
};
