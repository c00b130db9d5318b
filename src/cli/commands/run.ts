import { Option, type Command } from "commander";
import { REVIEWABLE_STAGES } from "../../../graphs/stages.js";
import {
  CHECKPOINTER_HELP,
  clientOptions,
  examples,
  executionOptions,
  modelOptions,
  number,
  outputOptions,
  parseRefine,
  REFINE_HELP,
} from "../options.js";

/** What `run` and `batch` share: how a paper is turned into a repository (model, client, stages, output). */
export function generationOptions(command: Command): Command {
  return outputOptions(
    clientOptions(
      modelOptions(
        executionOptions(
          command
            .addOption(
              new Option(
                "--schedule <order>",
                "parallel: each file as soon as its dependencies are written; sequential: the reference order, one call at a time",
              ).choices(["parallel", "sequential"]),
            )
            .addOption(
              new Option(
                "--context <mode>",
                "what the coder sees of other files: scoped (its imports in full, their dependencies' interfaces) or full (every earlier file)",
              ).choices(["scoped", "full"]),
            )
            .option("--password <password>", "password of an encrypted PDF")
            .option("--refine <rounds>", REFINE_HELP, parseRefine)
            .option("--review <stages>", `pause for a person to approve or edit after these stages (${REVIEWABLE_STAGES.join(", ")}, all)`)
            .option("--no-appendix", "leave the paper's appendix out (by default it is sent whenever the paper fits the token budget)")
            .option(
              "--paper-token-budget <n>",
              "most tokens of paper sent to the agents (default 120000; 24000 for local servers)",
              number("--paper-token-budget", { integer: true, min: 1000 }),
            )
            .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
            .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
            .option(
              "--execute",
              "after coding, run the smoke test (bash reproduce.sh --smoke) in a sandbox and debug it (off by default: nothing runs without it)",
            ),
        ),
      ),
    ),
  );
}

export function registerRun(program: Command) {
  generationOptions(
    program
      .command("run")
      .description("generate a repository from a paper")
      .argument(
        "<paper...>",
        "PDF, LaTeX (.tex, folder or .tar.gz), Markdown, text or PaperCoder JSON; given a PDF and its LaTeX, LaTeX is read",
      )
      .option("-o, --out <dir>", "output folder (default: runs/<title>-<thread>)")
      .option("--dry-run [files]", "estimate tokens and cost from the paper (assuming 12 files, or this many) without calling any model")
      .option("--thread-id <id>", "thread id for the checkpointer (default: a new UUID)")
      .option("--force", "write into an output folder that holds other files"),
  )
    .addHelpText(
      "after",
      examples(
        "paper2code run paper.pdf --model openai:gpt-4.1 --out runs/paper",
        "paper2code run paper.tex --model ollama:qwen2.5-coder:14b --review plan --execute",
        "paper2code run paper.md --model openai:gpt-4.1-mini --dry-run",
      ),
    )
    .action(async (papers: string[], options) => {
      // Loaded on demand: `ingest` and `--help` should not pay for LangGraph and the model clients.
      const { runCommand } = await import("../run.js");
      process.exitCode = await runCommand(papers, options);
    });
}
