/**
 * Papers per hour with 1, 2 and 4 workers (processes on this machine): 12 scripted papers with
 * simulated latency, enqueued with batch --queue on Redis, checkpoints in PostgreSQL.
 * Needs both services: `eval "$(.ci/postgres.sh start)"; eval "$(.ci/redis.sh start)"` first.
 *   npm run build && npx tsx bench/workers.ts [--papers 12] [--workers 1,2,4] [--first-token-ms 400]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Queue } from "bullmq";
import { redisConnection } from "../src/cli/queue.js";
import { tinyRules } from "../test/fixtures/tiny-replies.js";
import { modelFlags, startCli } from "../test/support/cli.js";
import { writePapers } from "../test/support/papers.js";
import { startScriptedServer } from "../test/support/scripted-server.js";

const { values } = parseArgs({
  options: {
    papers: { type: "string", default: "12" },
    workers: { type: "string", default: "1,2,4" },
    "first-token-ms": { type: "string", default: "400" },
  },
});
const REDIS = process.env.PAPER2CODE_TEST_REDIS_URL;
const POSTGRES = process.env.PAPER2CODE_TEST_POSTGRES_URL;
if (!REDIS || !POSTGRES) throw new Error("set PAPER2CODE_TEST_REDIS_URL and PAPER2CODE_TEST_POSTGRES_URL (.ci/redis.sh, .ci/postgres.sh)");

const env = { OPENAI_API_KEY: "sk-bench" };
const rows: string[] = [];
let base: number | undefined;
for (const count of values.workers!.split(",").map(Number)) {
  const queue = new Queue("paper2code-papers", { connection: redisConnection(REDIS) });
  await queue.obliterate({ force: true });
  await queue.close();
  const dir = mkdtempSync(join(tmpdir(), "p2c-bench-workers-"));
  const papers = writePapers(
    dir,
    Array.from({ length: Number(values.papers) }, (_, i) => `Bench paper ${count}w ${i + 1} on XOR`),
  );
  const server = await startScriptedServer(tinyRules(), { latency: { firstTokenMs: Number(values["first-token-ms"]), perTokenMs: 0 } });
  const workers = Array.from({ length: count }, () => startCli(["worker", "--queue", REDIS, "-q"], { env }));
  const started = Date.now();
  const batch = await startCli(
    [
      "batch",
      ...papers,
      ...modelFlags("openai:gpt-4.1", server.baseUrl),
      "--queue",
      REDIS,
      "--checkpointer",
      POSTGRES,
      "--out",
      join(dir, "b"),
      "--refine",
      "0",
      "-q",
    ],
    { env },
  ).done;
  const seconds = (Date.now() - started) / 1000;
  for (const w of workers) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.done));
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  if (batch.code !== 0) throw new Error(`batch with ${count} worker(s) failed: ${batch.stderr}`);
  const perHour = (3600 * papers.length) / seconds;
  base ??= perHour;
  rows.push(`| ${count} | ${seconds.toFixed(1)} s | ${perHour.toFixed(0)} | ${(perHour / base).toFixed(2)}x |`);
  console.error(`${count} worker(s): ${seconds.toFixed(1)} s`);
}
console.log(`## ${values.papers} scripted papers, ${values["first-token-ms"]} ms a call, one paper at a time per worker

| workers | wall-clock | papers per hour | speed-up |
| --- | --- | --- | --- |
${rows.join("\n")}
`);
