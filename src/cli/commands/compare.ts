import type { Command } from "commander";
import { CHECKPOINTER_HELP, examples } from "../options.js";

export function registerCompare(program: Command) {
  program
    .command("compare")
    .description(
      "compare runs of a paper (other refine settings, another model): reviews, calls, tokens, cost, time, files and their diffs",
    )
    .argument("<runs...>", "two runs or more: ids (or their first characters) or output folders; the first is the baseline")
    .option("--html <file>", "also write the comparison as a self-contained HTML page")
    .option("--open", "open the HTML page in the default browser")
    .option("--json", "print the comparison as JSON instead of Markdown")
    .option("--evals <dir>", "where to look for evaluations of the runs (default: ./evals)")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .addHelpText(
      "after",
      examples("paper2code compare runs/paper-refine0 runs/paper-refine2", "paper2code compare 3f2a 9c1e --html compare.html --open"),
    )
    .action(async (runs: string[], options) => {
      process.exitCode = await (await import("../compare.js")).compareCommand(runs, options);
    });
}
