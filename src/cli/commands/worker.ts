import type { Command } from "commander";
import { examples, number } from "../options.js";

export function registerWorker(program: Command) {
  program
    .command("worker")
    .description("take papers that batch --queue enqueued and run them, on as many machines as you have")
    .requiredOption("--queue <url>", "the queue's Redis (redis://host:6379), the same as batch --queue")
    .option(
      "--papers-at-once <n>",
      "papers this worker runs at the same time (default 1)",
      number("--papers-at-once", { integer: true, min: 1 }),
    )
    .option(
      "--lease-seconds <n>",
      "how long a paper stays this worker's without its lease renewed (renewed while it lives; default 30): a killed worker's paper goes to another after it",
      number("--lease-seconds", { integer: true, min: 2 }),
    )
    .option("-q, --quiet", "no progress lines")
    .addHelpText("after", examples("paper2code worker --queue redis://queue-host:6379"))
    .action(async (options) => {
      process.exitCode = await (await import("../queue.js")).workerCommand(options);
    });
}
