import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { redisConnection } from "../../src/cli/queue.js";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, startCli, type CliResult } from "../support/cli.js";
import { startScriptedServer } from "../support/scripted-server.js";
import { paperOf, writePapers } from "../support/papers.js";

const REDIS = process.env.PAPER2CODE_TEST_REDIS_URL;
const POSTGRES = process.env.PAPER2CODE_TEST_POSTGRES_URL;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const env = { OPENAI_API_KEY: "sk-dist-test" };

/** An empty queue: jobs an earlier run of these tests left are gone. */
async function emptyQueue() {
  const queue = new Queue("paper2code-papers", { connection: redisConnection(REDIS!) });
  await queue.obliterate({ force: true });
  await queue.close();
}

const startWorker = () => startCli(["worker", "--queue", REDIS!, "--lease-seconds", "4"], { env });

/** `batch --queue` of these papers into `out`, on the shared PostgreSQL checkpointer. */
const queuedBatch = (papers: string[], baseUrl: string, out: string) =>
  startCli(
    [
      "batch",
      ...papers,
      ...modelFlags("openai:gpt-4.1", baseUrl),
      "--queue",
      REDIS!,
      "--checkpointer",
      POSTGRES!,
      "--out",
      out,
      "--refine",
      "0",
    ],
    { env },
  );

// .ci/run starts both services; without them (a developer's machine) the test is skipped.
describe.skipIf(!REDIS || !POSTGRES)("batch --queue with three workers, one killed while a paper is in coding", () => {
  const dir = mkdtempSync(join(tmpdir(), "p2c-dist-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("completes all six papers, the killed paper's completed calls are not made again, and no paper ran on two workers at once", async () => {
    await emptyQueue();
    const titles = ["One", "Two", "Three", "Four", "Five", "Six"].map((t) => `Paper ${t} on XOR`);
    const papers = writePapers(dir, titles);
    // Slow enough replies that a paper is mid-coding for a while.
    const server = await startScriptedServer(tinyRules(), { latency: { firstTokenMs: 250, perTokenMs: 0 } });
    const workers = [0, 1, 2].map(startWorker);
    try {
      const batch = queuedBatch(papers, server.baseUrl, join(dir, "b"));
      // The first coder request: find the worker that holds that paper (its run lock names the pid) and kill it.
      let victim: { title: string; pid: number; inFlight: number } | undefined;
      for (let waited = 0; !victim; waited += 50) {
        if (waited > 60_000) throw new Error("no coder request within a minute");
        const coder = server.requests.find((r) => r.rule?.startsWith("coder:"));
        const title = coder && paperOf(coder, titles);
        if (title) {
          const lock = join(dir, "b", title.toLowerCase().replace(/\W+/g, "-"), ".paper2code", "run.lock");
          const pid = existsSync(lock) ? (JSON.parse(readFileSync(lock, "utf8")) as { pid: number }).pid : undefined;
          const worker = workers.find((w) => w.child.pid === pid);
          if (worker) {
            worker.child.kill("SIGKILL");
            // A request the worker sent just before it died is logged once the server has read it: wait for those
            // (the paper's lease of 4 s keeps every other worker off it meanwhile).
            await sleep(300);
            const inFlight = server.requests.filter((r) => paperOf(r, titles) === title && !r.completed).length;
            victim = { title, pid: pid!, inFlight };
          }
        }
        await sleep(50);
      }
      const result: CliResult = await batch.done;
      expect(
        result.code,
        `${result.stderr}\n${(await Promise.all(workers.map((w) => (w.child.kill("SIGTERM"), w.done)))).map((w) => w.stderr).join("\n")}`,
      ).toBe(0);

      const ledger = JSON.parse(readFileSync(join(dir, "b", "batch.json"), "utf8"));
      expect(ledger.papers.map((p: { status: string }) => p.status)).toEqual(Array(6).fill("complete"));

      const requestsOf = (title: string) => server.requests.filter((r) => paperOf(r, titles) === title);
      const others = titles.filter((t) => t !== victim!.title).map((t) => requestsOf(t).length);
      const uninterrupted = Math.max(...others);
      const killed = requestsOf(victim.title);
      // No completed reply was bought twice: only the calls cut off by the kill are made again.
      const completedKeys = killed.filter((r) => r.completed).map((r) => r.key);
      expect(new Set(completedKeys).size).toBe(completedKeys.length);
      expect(killed.length).toBeLessThanOrEqual(uninterrupted + victim.inFlight);
      console.log(
        `killed paper: ${killed.length} requests (${victim.inFlight} in flight at the kill); an uninterrupted paper: ${uninterrupted}`,
      );
      // batch.json names every worker that took the paper: the killed one, then the one that finished it.
      const entry = ledger.papers.find((p: { outDir: string }) => p.outDir.endsWith(victim!.title.toLowerCase().replace(/\W+/g, "-")));
      expect(entry.workers[0]).toContain(`:${victim.pid}`);
      expect(entry.workers.length).toBeGreaterThanOrEqual(2);

      // The killed paper was finished by another worker, never two at once.
      const run = JSON.parse(readFileSync(join(dir, "b", victim.title.toLowerCase().replace(/\W+/g, "-"), "run.json"), "utf8"));
      const parts = run.workers as { worker: string; startedAt: string; finishedAt: string }[];
      expect(parts.length).toBeGreaterThanOrEqual(1);
      expect(parts.at(-1)!.worker).not.toContain(`:${victim.pid}`);
      for (const p of ledger.papers) {
        const ws = (JSON.parse(readFileSync(join(p.outDir, "run.json"), "utf8")).workers ?? []) as {
          startedAt: string;
          finishedAt: string;
        }[];
        for (let i = 1; i < ws.length; i++) expect(Date.parse(ws[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(ws[i - 1]!.finishedAt));
      }
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.done));
      await server.close();
    }
  }, 180_000);

  it("a paper that failed on every attempt: the same batch --queue command again queues only it, resumes it, and keeps why it failed", async () => {
    await emptyQueue();
    const titles = ["Kept Paper on XOR", "Failing Paper on XOR"];
    mkdirSync(join(dir, "again"));
    const papers = writePapers(join(dir, "again"), titles);
    let faulty = true;
    // The failing paper's main.py coder is refused (400, not retried) while the fault is on: it fails in coding, its plan and analyses made.
    const server = await startScriptedServer(tinyRules(), {
      beforeReply: (r) =>
        faulty && r.rule === "coder:main.py" && paperOf(r, titles) === titles[1]
          ? { status: 400, body: { error: { message: "scripted refusal of main.py", type: "invalid_request_error" } } }
          : "answer",
    });
    const worker = startWorker();
    const out = join(dir, "again", "b");
    const batch = () => queuedBatch(papers, server.baseUrl, out).done;
    try {
      const first = await batch();
      expect(first.code, first.stderr).toBe(6);
      const failed = JSON.parse(readFileSync(join(out, "batch.json"), "utf8")).papers as {
        status: string;
        threadId: string;
        reasons: string[];
      }[];
      expect(failed.map((p) => p.status)).toEqual(["complete", "failed"]);
      expect(failed[1]!.reasons.at(-1)).toMatch(/main\.py|scripted refusal/);
      const refused = server.requests.filter((r) => r.rule === "coder:main.py" && paperOf(r, titles) === titles[1]).length;
      expect(refused).toBeGreaterThan(1); // BullMQ tried it again before giving up

      faulty = false;
      const before = server.requests.length;
      const again = await batch();
      expect(again.code, again.stderr).toBe(0);
      // Only the failed paper was asked for anything, and only for what it had not received: it resumed in coding.
      const asked = server.requests.slice(before);
      expect(new Set(asked.map((r) => paperOf(r, titles)))).toEqual(new Set([titles[1]]));
      expect(asked.map((r) => r.rule)).not.toContain("planner");
      expect(asked.map((r) => r.rule)).toContain("coder:main.py");
      const after = JSON.parse(readFileSync(join(out, "batch.json"), "utf8")).papers as typeof failed;
      expect(after.map((p) => p.status)).toEqual(["complete", "complete"]);
      expect(after[1]!.threadId).toBe(failed[1]!.threadId); // the same run, resumed
      expect(after[1]!.reasons[0]).toBe(failed[1]!.reasons[0]); // the earlier failure is kept
      expect(JSON.parse(readFileSync(join(out, "failing-paper-on-xor", "run.json"), "utf8")).status).toBe("complete");
      // The worker took the complete paper once, in the first batch: the second did not queue it again.
      worker.child.kill("SIGTERM");
      const said = (await worker.done).stderr;
      expect(said.match(new RegExp(`kept-paper-on-xor: attempt`, "g"))).toHaveLength(1);
      expect(said.match(new RegExp(`failing-paper-on-xor: attempt`, "g"))!.length).toBe(refused + 1);
    } finally {
      worker.child.kill("SIGTERM");
      await worker.done;
      await server.close();
    }
  }, 180_000);
});
