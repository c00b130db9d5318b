import { Argument, Option, type Command } from "commander";
import { PIPELINE_STAGES, REVIEWABLE_STAGES } from "../../../graphs/stages.js";
import { collect, continuingOptions, examples, executionOptions } from "../options.js";

/* The commands that continue a run: each is implemented in its own module under src/cli/, loaded when it runs. */

const ID = "run id, or its first characters";

/** `<name> <id>`: its own options (`declare`), then those every continuation shares, its examples, and its work. */
function continuing(
  program: Command,
  command: { name: string; description: string; id?: string; declare: (command: Command) => Command; examples: string[] },
  // Commander hands the action the arguments, then the options.
  run: (...args: never[]) => Promise<number>,
) {
  continuingOptions(
    command.declare(
      program
        .command(command.name)
        .description(command.description)
        .argument("<id>", command.id ?? ID),
    ),
  )
    .addHelpText("after", examples(...command.examples))
    .action(async (...args: unknown[]) => {
      process.exitCode = await run(...(args as never[]));
    });
}

export function registerDebug(program: Command) {
  const description = "run a finished run's smoke test in a sandbox and let the debugger fix what fails (checkpointed: resumable)";
  const usage = ["paper2code debug 3f2a", "paper2code debug 3f2a --debug-rounds 5 --python .venv/bin/python"];
  continuing(program, { name: "debug", description, declare: executionOptions, examples: usage }, async (id: string, options) =>
    (await import("../debug.js")).debugCommand(id, options),
  );
}

export function registerResume(program: Command) {
  const declare = (command: Command) =>
    command
      .option("--approve", "approve the artifact a paused run is waiting on")
      .option("--set <key=value>", "approve config.yaml with this change (repeatable)", collect)
      .option("--file <path>", "approve this edited artifact instead (JSON; YAML for config)");
  const usage = [
    "paper2code resume 3f2a",
    "paper2code resume 3f2a --structured-output native --budget 10",
    "paper2code resume 3f2a --set training.lr=0.0003",
  ];
  const description = "continue a stopped, failed or paused run; completed model calls are not made again";
  continuing(
    program,
    { name: "resume", description, id: `${ID} (paper2code runs lists them)`, declare, examples: usage },
    async (id: string, options) => (await import("../resume.js")).resumeCommand(id, options),
  );
}

export function registerRewind(program: Command) {
  const declare = (command: Command) =>
    command
      .addOption(new Option("--to <stage>", "the stage to run again").choices([...PIPELINE_STAGES]))
      .option("--set <key=value>", "change config.yaml first (repeatable; --to defaults to analysis)", collect);
  const usage = [
    "paper2code rewind 3f2a --to coding",
    "paper2code rewind 3f2a --set training.epochs=20",
    "paper2code rewind 3f2a --to plan --model openai:gpt-4.1",
  ];
  const description = "run a stage and everything after it again; the earlier branch stays in the history";
  continuing(program, { name: "rewind", description, declare, examples: usage }, async (id: string, options) =>
    (await import("../rewind.js")).rewindCommand(id, options),
  );
}

export function registerEdit(program: Command) {
  const declare = (command: Command) =>
    command
      .addArgument(new Argument("<artifact>", "what to edit").choices([...REVIEWABLE_STAGES]))
      .option("--file <path>", "use this edited artifact (JSON; YAML for config) instead of opening $EDITOR")
      .option("--set <key=value>", "change a config.yaml key (repeatable)", collect);
  const usage = ["paper2code edit 3f2a config", "paper2code edit 3f2a plan --file my-plan.json"];
  const description =
    "edit an artifact ($EDITOR, --file or --set) and continue from it: a paused run goes on, a finished one runs again from there";
  continuing(program, { name: "edit", description, declare, examples: usage }, async (id: string, artifact: string, options) =>
    (await import("../edit.js")).editCommand(id, artifact, options),
  );
}
