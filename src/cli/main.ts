#!/usr/bin/env node
import { setMaxListeners } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ExitCode, UserError } from "../errors.js";
import { PIPELINE_STAGES, REFINE_SETTINGS, REFINE_STAGES, REVIEWABLE_STAGES } from "../../graphs/stages.js";

const CHECKPOINTER_HELP = "checkpoint database: a SQLite file or a postgres:// URL (default: $PAPER2CODE_CHECKPOINTER, else $PAPER2CODE_HOME/checkpoints.sqlite)";

const number = (name: string, { integer = false, min = 0 } = {}) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new InvalidArgumentError(`${name} must be ${integer ? "an integer" : "a number"} >= ${min}`);
  }
  return n;
};

/** How generated code is run: by `run --execute` and by `debug`. */
function executionOptions(command: Command): Command {
  return command
    .option("--python <path>", "run with this Python as it is (default: a new virtual environment in the run folder)")
    .option("--no-install", "do not pip install requirements.txt (offline machines; the Python must have them)")
    .option("--debug-rounds <n>", "debugger rounds after a failed smoke run (default 3; 0 reports the failure)", number("--debug-rounds", { integer: true, min: 0 }))
    .option("--smoke-timeout <seconds>", "time limit of one smoke run (default 300)", number("--smoke-timeout", { min: 1 }))
    .option("--smoke-command <command>", "the smoke command (default: bash reproduce.sh --smoke)");
}

/** Which model answers: by `run` and, replacing the run's own, by the commands that continue a run. */
function modelOptions(command: Command, continuing = false): Command {
  const again = continuing ? " (replaces the run's own, for this and later continuations)" : "";
  return command
    .option("-m, --model <provider:name>", `e.g. openai:gpt-4.1, openai:o3-mini, anthropic:claude-sonnet-4-5, ollama:qwen2.5-coder:14b${again}`)
    .option("--base-url <url>", `an OpenAI-compatible server (vLLM, Ollama, OpenRouter, LM Studio)${again}`)
    .option("--temperature <t>", "temperature for non-reasoning models", number("--temperature"))
    .addOption(new Option("--reasoning-effort <effort>", "effort for reasoning models").choices(["minimal", "low", "medium", "high"]))
    .option("--concurrency <n>", "model requests in flight at once (default 4)", number("--concurrency", { integer: true, min: 1 }));
}

/** How the model client is driven and what it may spend: by `run`, `eval` and the commands that continue a run. */
function clientOptions(command: Command): Command {
  return command
    .option("--max-retries <n>", "client retries on 429/5xx/connection errors", number("--max-retries", { integer: true }))
    .option("--timeout <seconds>", "per-request timeout", number("--timeout", { min: 1 }))
    .option("--max-output-tokens <n>", "cap on output tokens per call", number("--max-output-tokens", { integer: true, min: 1 }))
    .addOption(new Option("--structured-output <mode>", "JSON-schema mode of the provider, or JSON in text").choices(["auto", "native", "text"]))
    .option("--budget <usd>", "most US dollars to spend on the whole run; it stops, resumable, before a call that would go over", number("--budget"))
    .option("--rpm <n>", "requests per minute to the model, at most", number("--rpm", { integer: true, min: 1 }))
    .option("--tpm <n>", "tokens per minute to the model, at most", number("--tpm", { integer: true, min: 1 }))
    .option("--prices <file>", "JSON prices per model in USD per million tokens, over the built-in ones: {\"provider:model\": {\"input\": 2, \"cachedInput\": 0.5, \"output\": 8}}");
}

/** "plan=2,config=1", "all=1" or "0" -> rounds per stage. */
export function parseRefine(value: string): Partial<Record<string, number>> {
  const rounds: Partial<Record<string, number>> = {};
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, count] = part.includes("=") ? part.split("=") : ["all", part];
    const n = Number(count);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--refine ${part}: rounds must be a whole number >= 0`);
    if (name === "all") for (const stage of REFINE_STAGES) rounds[stage] = n;
    else if ((REFINE_STAGES as readonly string[]).includes(name!)) rounds[name!] = n;
    else throw new InvalidArgumentError(`--refine ${part}: unknown stage '${name}' (stages: ${REFINE_STAGES.join(", ")}, all)`);
  }
  return rounds;
}

/** The package's version, from the package.json above this file (src/cli in a checkout, dist/src/cli when built). */
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

/** Two or three commands a new user can copy, at the end of a command's --help. */
const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

export function buildCli(): Command {
  const program = new Command()
    .name("paper2code")
    .description("Turn a machine-learning paper into a runnable code repository")
    .version(packageVersion(), "-V, --version", "print the version")
    // Usage errors are printed by main() on one line, with exit code 2; commands inherit both settings.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .addHelpText("after", examples("paper2code run paper.pdf --model openai:gpt-4.1 --out runs/paper", "paper2code runs", "paper2code resume <id>"));

  clientOptions(modelOptions(executionOptions(program
    .command("run")
    .description("generate a repository from a paper")
    .argument("<paper...>", "PDF, LaTeX (.tex, folder or .tar.gz), Markdown, text or PaperCoder JSON; given a PDF and its LaTeX, LaTeX is read")
    .option("-o, --out <dir>", "output folder (default: runs/<title>-<thread>)")
    .addOption(new Option("--schedule <order>", "parallel: each file as soon as its dependencies are written; sequential: the reference order, one call at a time").choices(["parallel", "sequential"]))
    .addOption(new Option("--context <mode>", "what the coder sees of other files: scoped (its imports in full, their dependencies' interfaces) or full (every earlier file)").choices(["scoped", "full"]))
    .option("--password <password>", "password of an encrypted PDF")
    .option(
      "--refine <rounds>",
      `verify/refine rounds per stage, e.g. plan=2,config=1 or 0 for none (stages: ${REFINE_STAGES.join(", ")}; defaults: ${REFINE_STAGES.map((s) => `${s}=${REFINE_SETTINGS[s]!.default}`).join(",")})`,
      parseRefine,
    )
    .option("--review <stages>", `pause for a person to approve or edit after these stages (${REVIEWABLE_STAGES.join(", ")}, all)`)
    .option("--dry-run [files]", "estimate tokens and cost from the paper (assuming 12 files, or this many) without calling any model")
    .option("--no-appendix", "leave the paper's appendix out (by default it is sent whenever the paper fits the token budget)")
    .option("--paper-token-budget <n>", "most tokens of paper sent to the agents (default 120000; 24000 for local servers)", number("--paper-token-budget", { integer: true, min: 1000 }))
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("--thread-id <id>", "thread id for the checkpointer (default: a new UUID)")
    .option("--force", "write into an output folder that holds other files")
    .option("--execute", "after coding, run the smoke test (bash reproduce.sh --smoke) in a sandbox and debug it (off by default: nothing runs without it)"))))
    .option("--json", "print a machine-readable summary on stdout")
    .option("-q, --quiet", "no progress lines")
    .addHelpText("after", examples(
      "paper2code run paper.pdf --model openai:gpt-4.1 --out runs/paper",
      "paper2code run paper.tex --model ollama:qwen2.5-coder:14b --review plan --execute",
      "paper2code run paper.md --model openai:gpt-4.1-mini --dry-run",
    ))
    .action(async (papers: string[], options) => {
      // Loaded on demand: `ingest` and `--help` should not pay for LangGraph and the model clients.
      const { runCommand } = await import("./run.js");
      process.exitCode = await runCommand(papers, options);
    });

  const continuing = (command: Command) =>
    clientOptions(modelOptions(command, true))
      .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
      .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
      .option("--password <password>", "password of an encrypted PDF")
      .option("--json", "print a machine-readable summary on stdout")
      .option("-q, --quiet", "no progress lines");
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const lazy = async () => import("./continue.js");

  continuing(
    executionOptions(
      program
        .command("debug")
        .description("run a finished run's smoke test in a sandbox and let the debugger fix what fails (checkpointed: resumable)")
        .argument("<id>", "run id, or its first characters"),
    ),
  ).addHelpText("after", examples("paper2code debug 3f2a", "paper2code debug 3f2a --debug-rounds 5 --python .venv/bin/python"))
  .action(async (id: string, options) => {
    process.exitCode = await (await lazy()).debugCommand(id, options);
  });

  continuing(
    program
      .command("resume")
      .description("continue a stopped, failed or paused run; completed model calls are not made again")
      .argument("<id>", "run id, or its first characters (paper2code runs lists them)")
      .option("--approve", "approve the artifact a paused run is waiting on")
      .option("--set <key=value>", "approve config.yaml with this change (repeatable)", collect)
      .option("--file <path>", "approve this edited artifact instead (JSON; YAML for config)"),
  ).addHelpText("after", examples("paper2code resume 3f2a", "paper2code resume 3f2a --structured-output native --budget 10", "paper2code resume 3f2a --set training.lr=0.0003"))
  .action(async (id: string, options) => {
    process.exitCode = await (await lazy()).resumeCommand(id, options);
  });

  continuing(
    program
      .command("rewind")
      .description("run a stage and everything after it again; the earlier branch stays in the history")
      .argument("<id>", "run id, or its first characters")
      .addOption(new Option("--to <stage>", "the stage to run again").choices([...PIPELINE_STAGES]))
      .option("--set <key=value>", "change config.yaml first (repeatable; --to defaults to analysis)", collect),
  ).addHelpText("after", examples("paper2code rewind 3f2a --to coding", "paper2code rewind 3f2a --set training.epochs=20", "paper2code rewind 3f2a --to plan --model openai:gpt-4.1"))
  .action(async (id: string, options) => {
    process.exitCode = await (await lazy()).rewindCommand(id, options);
  });

  continuing(
    program
      .command("edit")
      .description("edit an artifact ($EDITOR, --file or --set) and continue from it: a paused run goes on, a finished one runs again from there")
      .argument("<id>", "run id, or its first characters")
      .addArgument(new Argument("<artifact>", "what to edit").choices([...REVIEWABLE_STAGES]))
      .option("--file <path>", "use this edited artifact (JSON; YAML for config) instead of opening $EDITOR")
      .option("--set <key=value>", "change a config.yaml key (repeatable)", collect),
  ).addHelpText("after", examples("paper2code edit 3f2a config", "paper2code edit 3f2a plan --file my-plan.json"))
  .action(async (id: string, artifact: string, options) => {
    process.exitCode = await (await lazy()).editCommand(id, artifact, options);
  });

  const list = (value: string, previous: string[] = []) => [...previous, ...value.split(",").map((v) => v.trim()).filter(Boolean)];
  clientOptions(program
    .command("eval")
    .description("judge a generated repository: against the paper (reference-free), the authors' code (--reference) or a PaperBench rubric (--rubric); checkpointed, the same command continues an interrupted evaluation")
    .argument("<repo>", "the repository to judge (a folder, or a paper2code run folder: its repo/)")
    .requiredOption("--paper <paper...>", "the paper: PDF, LaTeX, Markdown or text (several files of one paper allowed)")
    .option("--judge-model <provider:name>", "the judge, chosen apart from the generator (default: judgeModel in paper2code.yaml, else $PAPER2CODE_JUDGE_MODEL)")
    .option("--judge-base-url <url>", "an OpenAI-compatible server for the judge")
    .option("--judge-temperature <t>", "the judge's temperature (default 1: samples are meant to differ)", number("--judge-temperature"))
    .addOption(new Option("--judge-reasoning-effort <effort>", "effort for a reasoning judge").choices(["minimal", "low", "medium", "high"]))
    .option("--samples <n>", "independent repository-level judgments averaged per mode (default 8)", number("--samples", { integer: true, min: 1 }))
    .option("--reference <repo>", "the authors' repository: judge against it (reference-based)")
    .option("--reference-files <paths>", "gold files to read, comma-separated (default: all when they fit, else the judge chooses)", list)
    .option("--reference-free", "also judge reference-free when --reference or --rubric is given (the default when neither is)")
    .option("--rubric <rubric.json>", "grade each leaf of a PaperBench rubric 0 or 1; parents score the weighted mean")
    .option("--code-dev", "rubric: keep only the Code Development leaves (PaperBench Code-Dev)")
    .option("--code-token-budget <n>", "most tokens of code in one repository-level judgment, for the repository and for the gold code each (default 60000)", number("--code-token-budget", { integer: true, min: 1000 }))
    .option("--leaf-token-budget <n>", "most tokens of submission files shown for one rubric leaf (default 12000)", number("--leaf-token-budget", { integer: true, min: 500 }))
    .option("--paper-token-budget <n>", "most tokens of paper sent to the judge (default 120000)", number("--paper-token-budget", { integer: true, min: 1000 }))
    .option("--concurrency <n>", "judgments in flight at once (default 4)", number("--concurrency", { integer: true, min: 1 })))
    .option("-o, --out <dir>", "folder for eval.json, eval.md and the judges' bookkeeping (default: evals/<repo>-<id>)")
    .option("--fresh", "judge again from scratch instead of continuing an earlier evaluation of the same inputs")
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("--json", "print the report (eval.json) on stdout")
    .option("-q, --quiet", "no progress lines")
    .addHelpText("after", examples(
      "paper2code eval runs/paper --paper paper.pdf --judge-model openai:o3-mini",
      "paper2code eval runs/paper --paper paper.md --rubric rubric.json --code-dev --judge-model openai:gpt-4.1",
    ))
    .action(async (repo: string, options) => {
      const { evalCommand } = await import("./eval.js");
      process.exitCode = await evalCommand(repo, options);
    });

  program
    .command("runs")
    .description("list runs: id, status, stage, calls, tokens, cost")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .option("--limit <n>", "most recent runs to show (default 50)", number("--limit", { integer: true, min: 1 }))
    .option("--json", "print the list as JSON")
    .addHelpText("after", examples("paper2code runs", "paper2code runs --limit 5 --json"))
    .action(async (options) => {
      process.exitCode = await (await lazy()).runsCommand(options);
    });

  program
    .command("ingest")
    .description("print the paper as the agents read it (Markdown), or its structure (--json)")
    .argument("<paper...>", "PDF, LaTeX (.tex, folder or .tar.gz), Markdown, text or PaperCoder JSON")
    .option("--json", "print the structure as JSON: title, abstract, sections, captions, references, appendix, boilerplate, tokens, sent, warnings")
    .option("--password <password>", "password of an encrypted PDF")
    .option("--no-appendix", "leave the appendix out of the Markdown")
    .option("--token-budget <n>", "reduce the Markdown to this many tokens, as a run would", number("--token-budget", { integer: true, min: 1000 }))
    .addHelpText("after", examples("paper2code ingest paper.pdf | less", "paper2code ingest paper.tar.gz --json", "paper2code ingest paper.pdf --token-budget 24000"))
    .action(async (paths: string[], options: { json?: boolean; password?: string; appendix: boolean; tokenBudget?: number }) => {
      // Loaded on demand, as for the other commands: the tokenizer's tables alone take a tenth of a second.
      const [{ loadPaper }, { describeFit, fitPaperToBudget }] = await Promise.all([import("../paper/load.js"), import("../paper/budget.js")]);
      const paper = await loadPaper(paths, { password: options.password });
      const budget = options.tokenBudget ?? Number.MAX_SAFE_INTEGER;
      const fitted = fitPaperToBudget(paper, budget, { includeAppendix: options.appendix });
      paper.warnings.push(...describeFit(paper, fitted, budget));
      process.stdout.write(options.json ? `${JSON.stringify({ ...paper, sent: { tokens: fitted.tokens, ...fitted.sent, dropped: fitted.dropped } }, null, 2)}\n` : fitted.markdown);
      const n = (v: number) => v.toLocaleString("en");
      process.stderr.write(`sent to the agents: ${n(fitted.tokens)} tokens (main text ${n(fitted.sent.main)}, appendix ${n(fitted.sent.appendix)} in ${fitted.sent.appendixSections} sections)\n`);
      for (const warning of paper.warnings) process.stderr.write(`warning: ${warning}\n`);
    });
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
