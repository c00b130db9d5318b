import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import pLimit from "p-limit";
import { openLedger, readPaperList, saveLedger, type BatchPaper, type Ledger } from "../batch/ledger.js";
import { ExitCode, UserError } from "../errors.js";
import { useBudgetGroup } from "../llm/budget.js";
import { costOfCalls, usd } from "../llm/prices.js";
import type { CallRecord } from "../llm/usage.js";
import { STOPPED_EXIT_CODE } from "./drive-graph.js";
import { LiveRegion } from "./live-region.js";
import { labelOf } from "./progress.js";
import { runOnce, type BatchOptions } from "./batch-run.js";
import { runEvents } from "./run-events.js";

/** What the live table shows of a paper while it runs. */
interface Live {
  stage: string;
  files: number;
  written: Set<string>;
  calls: CallRecord[];
}

/**
 * `paper2code batch <papers...|list.txt>`: one run per paper (each its own thread, folder and
 * run.json), several at once within one shared --concurrency and --budget; batch.json and
 * batch.md at the end. The same command again continues: complete papers are skipped, the
 * others resumed from their checkpoints (a failed one once more, its earlier reasons kept).
 */
export async function batchCommand(inputs: string[], options: BatchOptions): Promise<number> {
  if (options.threadId) throw new UserError("--thread-id names one run; a batch gives each paper its own", ExitCode.usage);
  if (options.dryRun !== undefined)
    throw new UserError("--dry-run estimates one paper: run it on each paper with paper2code run", ExitCode.usage);
  const papers = readPaperList(inputs);
  const dir = resolve(options.out ?? "batch");
  mkdirSync(dir, { recursive: true });
  const ledger = openLedger(dir, papers, randomUUID);
  const checkpointer = options.checkpointer ?? join(dir, "checkpoints.sqlite");
  if (options.queue) return (await import("./queue.js")).enqueueBatch(ledger, options);
  await saveLedger(ledger);

  // One budget for the whole batch: what every paper spent before counts.
  const spentBefore = ledger.papers.reduce((s, p) => s + (p.costUsd ?? 0), 0);
  useBudgetGroup(`batch:${dir}`, spentBefore);
  const live = new Map<string, Live>();
  const table = new BatchTable(ledger, live, process.stderr.isTTY === true && !options.quiet && !options.plain && !options.json);
  const onUpdate = (threadId: string, node: string, update: Record<string, unknown>) => {
    const l = live.get(threadId);
    if (!l) return;
    l.stage = labelOf(node);
    if (Array.isArray(update.files)) l.files = update.files.length;
    for (const path of Object.keys((update.code as object | undefined) ?? {})) l.written.add(path);
    l.calls.push(...((update.calls as CallRecord[] | undefined) ?? []));
    table.redraw();
  };
  runEvents.on("update", onUpdate);
  let stopping = false;
  const stop = () => (stopping = true);
  process.on("SIGINT", stop).on("SIGTERM", stop);
  await table.start();
  try {
    const limit = pLimit(options.papersAtOnce ?? 2);
    await Promise.all(
      ledger.papers
        .filter((p) => p.status !== "complete")
        .map((entry) =>
          limit(async () => {
            if (stopping) return;
            live.set(entry.threadId, { stage: "starting", files: 0, written: new Set(), calls: [] });
            // A failure is retried once at once (from its checkpoint, no completed call made again).
            for (let attempt = 0; attempt < 2 && !stopping; attempt++) {
              await runOnce(entry, options, checkpointer);
              await saveLedger(ledger);
              table.finished(entry);
              if (entry.status !== "failed") break;
            }
            live.delete(entry.threadId);
          }),
        ),
    );
  } finally {
    runEvents.off("update", onUpdate);
    process.off("SIGINT", stop).off("SIGTERM", stop);
    table.stop();
  }
  await saveLedger(ledger);
  const done = ledger.papers.filter((p) => p.status === "complete").length;
  if (options.json) process.stdout.write(`${JSON.stringify(ledger, null, 2)}\n`);
  if (!options.quiet)
    process.stderr.write(
      `batch: ${done} of ${ledger.papers.length} papers complete; ${join(dir, "batch.md")} and batch.json` +
        (done < ledger.papers.length ? `; to continue: the same command again` : "") +
        "\n",
    );
  return stopping ? STOPPED_EXIT_CODE : done === ledger.papers.length ? ExitCode.ok : ExitCode.incomplete;
}

/** The batch's live table on a terminal (one line per finished paper otherwise). */
class BatchTable {
  private view?: LiveRegion;
  constructor(
    private readonly ledger: Ledger,
    private readonly live: Map<string, Live>,
    private readonly tty: boolean,
  ) {}

  async start() {
    if (this.tty) this.view = await LiveRegion.open(() => this.text());
  }

  /** The table stays on the screen as last drawn. */
  stop() {
    this.view?.close({ keep: true });
    this.view = undefined;
  }

  finished(entry: BatchPaper) {
    if (this.tty) return this.redraw();
    const cost = usd(entry.costUsd, "cost unknown");
    process.stderr.write(
      `${entry.status === "complete" ? "✓" : "✗"} ${entry.outDir}: ${entry.status} (${entry.calls ?? 0} calls, ${cost})${entry.status === "complete" ? "" : `: ${entry.reasons.at(-1) ?? ""}`}\n`,
    );
  }

  redraw() {
    this.view?.redraw();
  }

  private text(): string {
    const width = process.stderr.columns || 100;
    const rows = this.ledger.papers.map((p) => {
      const l = this.live.get(p.threadId);
      const calls = l ? l.calls : undefined;
      const tokens = calls ? calls.reduce((s, c) => s + c.inputTokens + c.outputTokens, 0) : (p.inputTokens ?? 0) + (p.outputTokens ?? 0);
      // No call yet: no cost to show (an unpriced model would read $0.00 until its first call).
      const cost = calls?.length ? costOfCalls(calls) : p.costUsd;
      return [
        p.outDir.split("/").at(-1)!,
        l ? l.stage : p.status,
        l && l.files ? `${l.written.size}/${l.files}` : "",
        String(calls ? calls.length : (p.calls ?? "")),
        tokens ? tokens.toLocaleString("en") : "",
        usd(cost, ""),
        l ? "running" : p.status,
      ];
    });
    const head = ["PAPER", "STAGE", "FILES", "CALLS", "TOKENS", "COST", "STATUS"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    return [head, ...rows]
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd()
          .slice(0, width - 1),
      )
      .join("\n");
  }
}
