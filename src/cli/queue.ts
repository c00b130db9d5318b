import { hostname } from "node:os";
import { resolve } from "node:path";
import { Queue, QueueEvents, Worker, type ConnectionOptions, type Job } from "bullmq";
import { resultOf, saveLedger, type BatchPaper, type Ledger } from "../batch/ledger.js";
import { ExitCode, UserError } from "../errors.js";
import { runOnce, type BatchOptions } from "./batch-run.js";

/** The queue of papers: BullMQ on Redis (its worker renews a lease while alive; a dead worker's paper goes back to the queue). */
const QUEUE = "paper2code-papers";

/** What a worker needs to run one paper: the paper, its folder and thread, and the batch's settings. */
export interface PaperJob {
  entry: BatchPaper;
  options: BatchOptions;
}

export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--queue must be a Redis URL (redis://host:6379), not ${url}`, ExitCode.usage);
  }
  if (!/^rediss?:$/.test(parsed.protocol))
    throw new UserError(`--queue must be a Redis URL (redis://host:6379), not ${url}`, ExitCode.usage);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ's blocking commands must not give up.
    maxRetriesPerRequest: null,
  };
}

/** Settings a worker takes from the batch (where to write and where to check point are the entry's and the batch's own). */
function jobOptions(options: BatchOptions): BatchOptions {
  const { queue: _queue, papersAtOnce: _papersAtOnce, out: _out, ...rest } = options;
  return JSON.parse(JSON.stringify(rest)) as BatchOptions;
}

/**
 * `batch --queue`: every paper not complete goes on the queue (one job per paper, its thread id the
 * job id, so a paper is never queued twice), then the command waits for the workers and writes
 * batch.json and batch.md as papers finish. Stopping it stops only the waiting: the workers go on.
 */
export async function enqueueBatch(ledger: Ledger, options: BatchOptions): Promise<number> {
  if (!options.checkpointer || !/^postgres(ql)?:/.test(options.checkpointer))
    throw new UserError("--queue needs --checkpointer postgres://... : every worker resumes from the same checkpoints", ExitCode.usage);
  const connection = redisConnection(options.queue!);
  const queue = new Queue<PaperJob>(QUEUE, { connection });
  const events = new QueueEvents(QUEUE, { connection });
  try {
    await events.waitUntilReady();
    // Defined before any job is waited on: one may finish while the others are still being queued.
    const finish = async (entry: BatchPaper) => {
      const done = (await queue.getJob(entry.threadId))?.data.entry;
      if (done?.workers) entry.workers = done.workers;
      await saveLedger(ledger);
      if (!options.quiet)
        process.stderr.write(
          `${entry.status === "complete" ? "✓" : "✗"} ${entry.outDir}: ${entry.status}${entry.reasons.length && entry.status !== "complete" ? `: ${entry.reasons.at(-1)}` : ""}\n`,
        );
    };
    const waiting: Promise<void>[] = [];
    for (const entry of ledger.papers) {
      if (entry.status === "complete") continue;
      const earlier = await queue.getJob(entry.threadId);
      // A job that ended (failed, or complete while its run is not) is taken off so the paper can go on again.
      if (earlier && ((await earlier.isFailed()) || (await earlier.isCompleted()))) await earlier.remove();
      entry.status = "pending";
      const job =
        (await queue.getJob(entry.threadId)) ??
        (await queue.add(
          "paper",
          { entry: { ...entry, outDir: resolve(entry.outDir) }, options: jobOptions(options) },
          { jobId: entry.threadId, attempts: 3, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: false, removeOnFail: false },
        ));
      waiting.push(
        job.waitUntilFinished(events).then(
          async () => {
            Object.assign(entry, resultOf(entry), { status: "complete" });
            await finish(entry);
          },
          async (error: Error) => {
            const run = resultOf(entry);
            Object.assign(entry, run, { status: "failed" });
            entry.reasons.push(error.message.split("\n")[0]!);
            await finish(entry);
          },
        ),
      );
    }
    await saveLedger(ledger);
    if (!options.quiet)
      process.stderr.write(
        `batch: ${waiting.length} paper(s) on ${QUEUE} at ${options.queue}; waiting for the workers (paper2code worker --queue ${options.queue})\n`,
      );
    await Promise.all(waiting);
  } finally {
    await events.close();
    await queue.close();
  }
  const done = ledger.papers.filter((p) => p.status === "complete").length;
  if (!options.quiet) process.stderr.write(`batch: ${done} of ${ledger.papers.length} papers complete\n`);
  return done === ledger.papers.length ? ExitCode.ok : ExitCode.incomplete;
}

export interface WorkerOptions {
  queue: string;
  papersAtOnce?: number;
  leaseSeconds?: number;
  quiet?: boolean;
}

/**
 * `paper2code worker --queue <url>`: takes papers off the queue and runs them (a paper it did not
 * finish is resumed from its checkpoint). Its lease on a paper is renewed while it lives; killed,
 * the lease runs out and another worker takes the paper over, every reply already received kept.
 */
export async function workerCommand(options: WorkerOptions): Promise<number> {
  const connection = redisConnection(options.queue);
  const id = `${hostname()}:${process.pid}`;
  const lease = (options.leaseSeconds ?? 30) * 1000;
  const say = (text: string) => options.quiet || process.stderr.write(`[worker ${id}] ${text}\n`);
  const worker = new Worker<PaperJob>(
    QUEUE,
    async (job: Job<PaperJob>) => {
      const { entry, options: settings } = job.data;
      say(`${entry.outDir}: attempt ${job.attemptsMade + 1}`);
      entry.workers = [...(entry.workers ?? []), id];
      await job.updateData({ entry, options: settings });
      await runOnce(entry, { ...settings, worker: id }, settings.checkpointer!);
      say(`${entry.outDir}: ${entry.status}`);
      if (entry.status !== "complete") throw new Error(entry.reasons.at(-1) ?? `the run ended ${entry.status}`);
      return entry.status;
    },
    { connection, concurrency: options.papersAtOnce ?? 1, lockDuration: lease, stalledInterval: lease / 2, maxStalledCount: 3 },
  );
  await worker.waitUntilReady();
  say(`waiting for papers on ${QUEUE} at ${options.queue}`);
  await new Promise<void>((done) => {
    const stop = () => void worker.close().then(done);
    process.once("SIGINT", stop).once("SIGTERM", stop);
  });
  return ExitCode.ok;
}
