import type { Command } from "commander";
import { CHECKPOINTER_HELP, examples } from "../options.js";

export function registerReport(program: Command) {
  program
    .command("report")
    .description("write a run's report.html again (plan, diagrams, code, checks, timeline, cost) and say where it is")
    .argument("<run>", "run id (or its first characters), or a run's output folder")
    .option("--open", "open it in the default browser")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .addHelpText("after", examples("paper2code report 3f2a --open", "paper2code report runs/paper"))
    .action(async (run: string, options) => {
      process.exitCode = await (await import("../report.js")).reportCommand(run, options);
    });
}
