import { compilePaperToCode } from "../../graphs/paper2code.js";
import { checkpointerLocation, openCheckpointer } from "../checkpointer.js";
import { ExitCode } from "../errors.js";
import { isEvaluationThread, summarizeThread, type RunSummary } from "../runs.js";
import { stageOfNode } from "../../graphs/stages.js";
import { readSettingsFile } from "./settings-file.js";

export interface RunsOptions {
  checkpointer?: string;
  config?: string;
  json?: boolean;
  limit?: number;
}

/** Every run in the checkpoint database: id, paper, status, stage, tokens, cost. */
export async function runsCommand(options: RunsOptions): Promise<number> {
  const file = readSettingsFile(options.config);
  const checkpointer = await openCheckpointer(checkpointerLocation(options.checkpointer, file).location);
  try {
    const graph = compilePaperToCode(checkpointer.saver);
    const summaries: RunSummary[] = [];
    for (const threadId of (await checkpointer.threads()).filter((t) => !isEvaluationThread(t)).slice(0, options.limit ?? 50)) {
      summaries.push(summarizeThread(threadId, await graph.getState({ configurable: { thread_id: threadId } }), stageOfNode));
    }
    if (options.json) {
      process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
      return ExitCode.ok;
    }
    if (summaries.length === 0) {
      process.stdout.write(`no runs in ${checkpointer.location}\n`);
      return ExitCode.ok;
    }
    process.stdout.write(runsTable(summaries, process.stdout.isTTY ? process.stdout.columns : undefined));
    return ExitCode.ok;
  } finally {
    await checkpointer.close();
  }
}

const cut = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`);
/** A path cut from its start, which matters less than its end. */
const cutStart = (text: string, width: number) => (text.length <= width ? text : `…${text.slice(text.length - width + 1)}`);

/** Tokens in few characters: 1.87M, 350k. */
const compact = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${Math.round(v / 1e3)}k` : String(v));

type Column = { head: string; cell: (s: RunSummary) => string; shrink?: "end" | "start"; optional?: boolean };

/** The runs as a table `columns` wide at most (no limit when not a terminal); a failed run's reason under it. */
export function runsTable(summaries: RunSummary[], columns?: number): string {
  const tokens = (v: number) => (columns ? compact(v) : v.toLocaleString("en"));
  let table: Column[] = [
    { head: "ID", cell: (s) => s.id.slice(0, 8) },
    { head: "STATUS", cell: (s) => s.status },
    { head: "STAGE", cell: (s) => s.stage, shrink: "end" },
    { head: "CALLS", cell: (s) => s.calls.toLocaleString("en") },
    { head: columns ? "IN / OUT" : "TOKENS IN / OUT", cell: (s) => `${tokens(s.inputTokens)} / ${tokens(s.outputTokens)}` },
    { head: "COST", cell: (s) => (s.cost === undefined ? "unknown" : `$${s.cost.toFixed(2)}`) },
    { head: "UPDATED", cell: (s) => (s.updatedAt ?? "").slice(0, 16).replace("T", " "), optional: true },
    { head: "PAPER", cell: (s) => s.paper ?? "", shrink: "end" },
    { head: "FOLDER", cell: (s) => s.outDir ?? "", shrink: "start" },
  ];
  const widthsOf = (cols: Column[]) => cols.map((c) => Math.max(c.head.length, ...summaries.map((s) => c.cell(s).length)));
  let widths = widthsOf(table);
  if (columns) {
    const over = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) - (columns - 1);
    // The folder, the paper and the stage give way first (each down to its minimum), then the update time goes.
    const shrinkAll = () => {
      for (const [head, min] of [
        ["FOLDER", 12],
        ["PAPER", 8],
        ["STAGE", 6],
      ] as const) {
        const i = table.findIndex((c) => c.head === head);
        if (over() > 0) widths[i] = Math.max(min, widths[i]! - over());
      }
    };
    shrinkAll();
    if (over() > 0) {
      table = table.filter((c) => !c.optional);
      widths = widthsOf(table);
      shrinkAll();
    }
  }
  const render = (cell: string, i: number, last: boolean) => {
    const w = widths[i]!;
    const text = table[i]!.shrink === "start" ? cutStart(cell, w) : cut(cell, w);
    return last ? text : text.padEnd(w);
  };
  const lines = [
    table
      .map((c, i) => render(c.head, i, i === table.length - 1))
      .join("  ")
      .trimEnd(),
  ];
  for (const s of summaries) {
    lines.push(
      table
        .map((c, i) => render(c.cell(s), i, i === table.length - 1))
        .join("  ")
        .trimEnd(),
    );
    const error = s.error?.split("\n")[0];
    if (error) lines.push(`  ${columns ? cut(`reason: ${error}`, columns - 3) : `reason: ${error}`}`);
  }
  return `${lines.join("\n")}\n`;
}
