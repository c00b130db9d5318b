import type { Command } from "commander";
import { CHECKPOINTER_HELP, examples, number } from "../options.js";

export function registerRuns(program: Command) {
  program
    .command("runs")
    .description("list runs: id, status, stage, calls, tokens, cost")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .option("--limit <n>", "most recent runs to show (default 50)", number("--limit", { integer: true, min: 1 }))
    .option("--json", "print the list as JSON")
    .addHelpText("after", examples("paper2code runs", "paper2code runs --limit 5 --json"))
    .action(async (options) => {
      process.exitCode = await (await import("../runs.js")).runsCommand(options);
    });
}
