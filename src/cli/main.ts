#!/usr/bin/env node
import { setMaxListeners } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command, CommanderError } from "commander";
import { ExitCode, UserError } from "../errors.js";
import { registerDebug, registerEdit, registerResume, registerRewind } from "./commands/continuing.js";
import { registerBatch } from "./commands/batch.js";
import { registerWorker } from "./commands/worker.js";
import { registerCompare } from "./commands/compare.js";
import { registerEval } from "./commands/eval.js";
import { registerIngest } from "./commands/ingest.js";
import { registerReport } from "./commands/report.js";
import { registerRun } from "./commands/run.js";
import { registerRuns } from "./commands/runs.js";
import { examples } from "./options.js";

/** The commands, in the order --help lists them; each declares its own options (commands/) and loads its work when it runs. */
const COMMANDS = [
  registerRun,
  registerBatch,
  registerWorker,
  registerDebug,
  registerResume,
  registerRewind,
  registerEdit,
  registerEval,
  registerRuns,
  registerReport,
  registerCompare,
  registerIngest,
];

/** The package's version, from the package.json above this file (src/cli in a checkout, dist/cli when built, bundled). */
function packageVersion(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (name === "paper2code") return version ?? "unknown";
    }
  }
  return "unknown";
}

export function buildCli(): Command {
  const program = new Command()
    .name("paper2code")
    .description("Turn a machine-learning paper into a runnable code repository")
    .version(packageVersion(), "-V, --version", "print the version")
    // Usage errors are printed by main() on one line, with exit code 2; commands inherit both settings.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText(
      "after",
      examples("paper2code run paper.pdf --model openai:gpt-4.1 --out runs/paper", "paper2code runs", "paper2code resume <id>"),
    );

  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  // Parallel graph tasks each listen on the run's AbortSignal; more than Node's default 10 is expected.
  setMaxListeners(256);
  // A closed reader (`| head`, a closed terminal) must not stop the work: output to it is dropped, the run goes on.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "EIO") throw error;
    });
  }
  try {
    await buildCli().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = usageExit(error, argv);
      return;
    }
    if (error instanceof UserError) {
      process.stderr.write(`paper2code: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`paper2code: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.failure;
  }
}

/** A usage error: one line with what was wrong and where the help is, exit code 2; --help and --version: 0. */
function usageExit(error: CommanderError, argv: string[]): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
  if (error.code === "commander.help") return ExitCode.usage; // no command given: the help was printed
  const commands = buildCli().commands.map((c) => c.name());
  const command = argv.slice(2).find((a) => commands.includes(a));
  process.stderr.write(`paper2code: ${error.message.replace(/^error: /, "")} (see paper2code${command ? ` ${command}` : ""} --help)\n`);
  return ExitCode.usage;
}

await main();
