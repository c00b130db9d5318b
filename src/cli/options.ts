import { type Command, InvalidArgumentError, Option } from "commander";
import { REFINE_SETTINGS, REFINE_STAGES } from "../../graphs/stages.js";

/* The options commands share, and helpers for declaring them: each command declares its own in commands/. */

export const CHECKPOINTER_HELP =
  "checkpoint database: a SQLite file or a postgres:// URL (default: $PAPER2CODE_CHECKPOINTER, else $PAPER2CODE_HOME/checkpoints.sqlite)";

export const number =
  (name: string, { integer = false, min = 0 } = {}) =>
  (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
      throw new InvalidArgumentError(`${name} must be ${integer ? "an integer" : "a number"} >= ${min}`);
    }
    return n;
  };

/** How generated code is run: by `run --execute` and by `debug`. */
export function executionOptions(command: Command): Command {
  return command
    .option("--python <path>", "run with this Python as it is (default: a new virtual environment in the run folder)")
    .option("--no-install", "do not pip install requirements.txt (offline machines; the Python must have them)")
    .option(
      "--debug-rounds <n>",
      "debugger rounds after a failed smoke run (default 3; 0 reports the failure)",
      number("--debug-rounds", { integer: true, min: 0 }),
    )
    .option("--smoke-timeout <seconds>", "time limit of one smoke run (default 300)", number("--smoke-timeout", { min: 1 }))
    .option("--smoke-command <command>", "the smoke command (default: bash reproduce.sh --smoke)");
}

/** Which model answers: by `run` and, replacing the run's own, by the commands that continue a run. */
export function modelOptions(command: Command, continuing = false): Command {
  const again = continuing ? " (replaces the run's own, for this and later continuations)" : "";
  return command
    .option(
      "-m, --model <provider:name>",
      `e.g. openai:gpt-4.1, openai:o3-mini, anthropic:claude-sonnet-4-5, ollama:qwen2.5-coder:14b${again}`,
    )
    .option("--base-url <url>", `an OpenAI-compatible server (vLLM, Ollama, OpenRouter, LM Studio)${again}`)
    .option("--temperature <t>", "temperature for non-reasoning models", number("--temperature"))
    .addOption(new Option("--reasoning-effort <effort>", "effort for reasoning models").choices(["minimal", "low", "medium", "high"]))
    .option("--concurrency <n>", "model requests in flight at once (default 4)", number("--concurrency", { integer: true, min: 1 }));
}

/** How the model client is driven and what it may spend: by `run`, `eval` and the commands that continue a run. */
export function clientOptions(command: Command): Command {
  return command
    .option("--max-retries <n>", "client retries on 429/5xx/connection errors", number("--max-retries", { integer: true }))
    .option("--timeout <seconds>", "per-request timeout", number("--timeout", { min: 1 }))
    .option("--max-output-tokens <n>", "cap on output tokens per call", number("--max-output-tokens", { integer: true, min: 1 }))
    .addOption(
      new Option("--structured-output <mode>", "JSON-schema mode of the provider, or JSON in text").choices(["auto", "native", "text"]),
    )
    .option(
      "--budget <usd>",
      "most US dollars to spend on the whole run; it stops, resumable, before a call that would go over",
      number("--budget"),
    )
    .option("--rpm <n>", "requests per minute to the model, at most", number("--rpm", { integer: true, min: 1 }))
    .option("--tpm <n>", "tokens per minute to the model, at most", number("--tpm", { integer: true, min: 1 }))
    .option(
      "--prices <file>",
      'JSON prices per model in USD per million tokens, over the built-in ones: {"provider:model": {"input": 2, "cachedInput": 0.5, "output": 8}}',
    );
}

/** "plan=2,config=1", "all=1" or "0" -> rounds per stage. */
export function parseRefine(value: string): Partial<Record<string, number>> {
  const rounds: Partial<Record<string, number>> = {};
  for (const part of value
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, count] = part.includes("=") ? part.split("=") : ["all", part];
    const n = Number(count);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`--refine ${part}: rounds must be a whole number >= 0`);
    if (name === "all") for (const stage of REFINE_STAGES) rounds[stage] = n;
    else if ((REFINE_STAGES as readonly string[]).includes(name!)) rounds[name!] = n;
    else throw new InvalidArgumentError(`--refine ${part}: unknown stage '${name}' (stages: ${REFINE_STAGES.join(", ")}, all)`);
  }
  return rounds;
}

/** Two or three commands a new user can copy, at the end of a command's --help. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;

/** The options of every command that continues a run (model and client settings replace the run's own). */
export function continuingOptions(command: Command): Command {
  return outputOptions(clientOptions(modelOptions(command, true)))
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .option("--password <password>", "password of an encrypted PDF");
}

/** How a driven run reports: progress on stderr (live on a terminal), a summary on stdout, report.html at the end. */
export function outputOptions(command: Command): Command {
  return command
    .option("--json", "print a machine-readable summary on stdout")
    .option("-q, --quiet", "no progress lines")
    .option("--plain", "plain progress lines even on a terminal (no live view)")
    .option("--no-report", "do not write report.html at the end");
}

/** What outputOptions gives a command's options. */
export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
  plain?: boolean;
  /** false with --no-report. */
  report?: boolean;
  /** The worker running this (batch --queue): run.json lists who ran each part. Not a flag. */
  worker?: string;
}

/** A repeatable option's values, in order. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A comma-separated option's values (repeatable). */
export const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

/** The refine flag's help, with each stage's default. */
export const REFINE_HELP = `verify/refine rounds per stage, e.g. plan=2,config=1 or 0 for none (stages: ${REFINE_STAGES.join(", ")}; defaults: ${REFINE_STAGES.map((s) => `${s}=${REFINE_SETTINGS[s]!.default}`).join(",")})`;
