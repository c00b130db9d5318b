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
    const rows = summaries.map((s) => [
      s.id.slice(0, 8),
      s.status,
      s.stage,
      s.calls.toLocaleString("en"),
      `${s.inputTokens.toLocaleString("en")} / ${s.outputTokens.toLocaleString("en")}`,
      s.cost === undefined ? "unknown" : `$${s.cost.toFixed(2)}`,
      (s.updatedAt ?? "").slice(0, 16).replace("T", " "),
      s.paper ?? "",
    ]);
    const header = ["ID", "STATUS", "STAGE", "CALLS", "TOKENS IN / OUT", "COST", "UPDATED", "PAPER"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) {
      process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")}\n`);
    }
    return ExitCode.ok;
  } finally {
    await checkpointer.close();
  }
}
