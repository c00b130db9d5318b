import type { Command } from "commander";
import { examples, number } from "../options.js";
import { generationOptions } from "./run.js";

export function registerBatch(program: Command) {
  generationOptions(
    program
      .command("batch")
      .description(
        "run many papers: one run each, several at once, one --concurrency and --budget for all; the same command again continues",
      )
      .argument("<papers...>", "papers, or .txt lists of paper paths (one per line, # comments; relative to the list)")
      .option("-o, --out <dir>", "the batch's folder: a run folder per paper, batch.json and batch.md (default: ./batch)")
      .option("--papers-at-once <n>", "papers run at the same time (default 2)", number("--papers-at-once", { integer: true, min: 1 }))
      .option("--queue <url>", "enqueue the papers for workers (redis://...) instead of running them here; see paper2code worker"),
  )
    .addHelpText(
      "after",
      examples(
        "paper2code batch papers/*.pdf --model openai:gpt-4.1 --out batch/iclr --papers-at-once 3 --budget 50",
        "paper2code batch list.txt --model openai:gpt-4.1 --out batch/iclr   (again: continues where it stopped)",
        "paper2code batch list.txt --out /shared/batch --queue redis://queue-host:6379 --checkpointer postgres://db-host/paper2code",
      ),
    )
    .action(async (papers: string[], options) => {
      process.exitCode = await (await import("../batch.js")).batchCommand(papers, options);
    });
}
