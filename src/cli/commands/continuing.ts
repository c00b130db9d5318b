import { Argument, Option, type Command } from "commander";
import { PIPELINE_STAGES, REVIEWABLE_STAGES } from "../../../graphs/stages.js";
import { collect, continuingOptions, examples, executionOptions } from "../options.js";

/* The commands that continue a run: each is implemented in its own module under src/cli/, loaded when it runs. */

export function registerDebug(program: Command) {
  continuingOptions(
    executionOptions(
      program
        .command("debug")
        .description("run a finished run's smoke test in a sandbox and let the debugger fix what fails (checkpointed: resumable)")
        .argument("<id>", "run id, or its first characters"),
    ),
  )
    .addHelpText("after", examples("paper2code debug 3f2a", "paper2code debug 3f2a --debug-rounds 5 --python .venv/bin/python"))
    .action(async (id: string, options) => {
      process.exitCode = await (await import("../debug.js")).debugCommand(id, options);
    });
}

export function registerResume(program: Command) {
  continuingOptions(
    program
      .command("resume")
      .description("continue a stopped, failed or paused run; completed model calls are not made again")
      .argument("<id>", "run id, or its first characters (paper2code runs lists them)")
      .option("--approve", "approve the artifact a paused run is waiting on")
      .option("--set <key=value>", "approve config.yaml with this change (repeatable)", collect)
      .option("--file <path>", "approve this edited artifact instead (JSON; YAML for config)"),
  )
    .addHelpText(
      "after",
      examples(
        "paper2code resume 3f2a",
        "paper2code resume 3f2a --structured-output native --budget 10",
        "paper2code resume 3f2a --set training.lr=0.0003",
      ),
    )
    .action(async (id: string, options) => {
      process.exitCode = await (await import("../resume.js")).resumeCommand(id, options);
    });
}

export function registerRewind(program: Command) {
  continuingOptions(
    program
      .command("rewind")
      .description("run a stage and everything after it again; the earlier branch stays in the history")
      .argument("<id>", "run id, or its first characters")
      .addOption(new Option("--to <stage>", "the stage to run again").choices([...PIPELINE_STAGES]))
      .option("--set <key=value>", "change config.yaml first (repeatable; --to defaults to analysis)", collect),
  )
    .addHelpText(
      "after",
      examples(
        "paper2code rewind 3f2a --to coding",
        "paper2code rewind 3f2a --set training.epochs=20",
        "paper2code rewind 3f2a --to plan --model openai:gpt-4.1",
      ),
    )
    .action(async (id: string, options) => {
      process.exitCode = await (await import("../rewind.js")).rewindCommand(id, options);
    });
}

export function registerEdit(program: Command) {
  continuingOptions(
    program
      .command("edit")
      .description(
        "edit an artifact ($EDITOR, --file or --set) and continue from it: a paused run goes on, a finished one runs again from there",
      )
      .argument("<id>", "run id, or its first characters")
      .addArgument(new Argument("<artifact>", "what to edit").choices([...REVIEWABLE_STAGES]))
      .option("--file <path>", "use this edited artifact (JSON; YAML for config) instead of opening $EDITOR")
      .option("--set <key=value>", "change a config.yaml key (repeatable)", collect),
  )
    .addHelpText("after", examples("paper2code edit 3f2a config", "paper2code edit 3f2a plan --file my-plan.json"))
    .action(async (id: string, artifact: string, options) => {
      process.exitCode = await (await import("../edit.js")).editCommand(id, artifact, options);
    });
}
