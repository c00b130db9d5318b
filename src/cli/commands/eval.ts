import { Option, type Command } from "commander";
import { CHECKPOINTER_HELP, clientOptions, examples, list, number } from "../options.js";

export function registerEval(program: Command) {
  clientOptions(
    program
      .command("eval")
      .description(
        "judge a generated repository: against the paper (reference-free), the authors' code (--reference) or a PaperBench rubric (--rubric); checkpointed, the same command continues an interrupted evaluation",
      )
      .argument("<repo>", "the repository to judge (a folder, or a paper2code run folder: its repo/)")
      .requiredOption("--paper <paper...>", "the paper: PDF, LaTeX, Markdown or text (several files of one paper allowed)")
      .option(
        "--judge-model <provider:name>",
        "the judge, chosen apart from the generator (default: judgeModel in paper2code.yaml, else $PAPER2CODE_JUDGE_MODEL)",
      )
      .option("--judge-base-url <url>", "an OpenAI-compatible server for the judge")
      .option("--judge-temperature <t>", "the judge's temperature (default 1: samples are meant to differ)", number("--judge-temperature"))
      .addOption(
        new Option("--judge-reasoning-effort <effort>", "effort for a reasoning judge").choices(["minimal", "low", "medium", "high"]),
      )
      .option(
        "--samples <n>",
        "independent repository-level judgments averaged per mode (default 8)",
        number("--samples", { integer: true, min: 1 }),
      )
      .option("--reference <repo>", "the authors' repository: judge against it (reference-based)")
      .option("--reference-files <paths>", "gold files to read, comma-separated (default: all when they fit, else the judge chooses)", list)
      .option("--reference-free", "also judge reference-free when --reference or --rubric is given (the default when neither is)")
      .option("--rubric <rubric.json>", "grade each leaf of a PaperBench rubric 0 or 1; parents score the weighted mean")
      .option("--code-dev", "rubric: keep only the Code Development leaves (PaperBench Code-Dev)")
      .option(
        "--code-token-budget <n>",
        "most tokens of code in one repository-level judgment, for the repository and for the gold code each (default 60000)",
        number("--code-token-budget", { integer: true, min: 1000 }),
      )
      .option(
        "--leaf-token-budget <n>",
        "most tokens of submission files shown for one rubric leaf (default 12000)",
        number("--leaf-token-budget", { integer: true, min: 500 }),
      )
      .option(
        "--paper-token-budget <n>",
        "most tokens of paper sent to the judge (default 120000)",
        number("--paper-token-budget", { integer: true, min: 1000 }),
      )
      .option("--concurrency <n>", "judgments in flight at once (default 4)", number("--concurrency", { integer: true, min: 1 })),
  )
    .option("-o, --out <dir>", "folder for eval.json, eval.md and the judges' bookkeeping (default: evals/<repo>-<id>)")
    .option("--fresh", "judge again from scratch instead of continuing an earlier evaluation of the same inputs")
    .option("-c, --config <file>", "settings file (default: ./paper2code.yaml when present)")
    .option("--checkpointer <path|url>", CHECKPOINTER_HELP)
    .option("--json", "print the report (eval.json) on stdout")
    .option("-q, --quiet", "no progress lines")
    .addHelpText(
      "after",
      examples(
        "paper2code eval runs/paper --paper paper.pdf --judge-model openai:o3-mini",
        "paper2code eval runs/paper --paper paper.md --rubric rubric.json --code-dev --judge-model openai:gpt-4.1",
      ),
    )
    .action(async (repo: string, options) => {
      const { evalCommand } = await import("../eval.js");
      process.exitCode = await evalCommand(repo, options);
    });
}
