import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, runCli, startCli } from "../support/cli.js";
import { Killer, seededRandom, treeContents } from "../support/crash.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type BeforeReply, type ScriptedServer } from "../support/scripted-server.js";

/**
 * kill -9 at random moments, then `paper2code resume` until the run ends.
 * The server's request log must show that no completed call was made twice,
 * and the output must equal that of a run that was never interrupted.
 * Runs against SQLite, and against PostgreSQL when PAPER2CODE_TEST_POSTGRES_URL is set (.ci/run sets it).
 */
const TRIALS = Number(process.env.PAPER2CODE_CRASH_TRIALS ?? 12);
/** A fixed seed by default, so CI reproduces (12053 once found a start killed between its folder probe and its first checkpoint); PAPER2CODE_CRASH_SEED picks another. */
const SEED = Number(process.env.PAPER2CODE_CRASH_SEED ?? 12053);
const POSTGRES = process.env.PAPER2CODE_TEST_POSTGRES_URL;

const backends: [string, (dir: string) => string][] = [["SQLite", (dir) => join(dir, "checkpoints.sqlite")]];
if (POSTGRES) backends.push(["PostgreSQL", () => POSTGRES]);

/** Where to kill: while the client waits for a reply, right after a reply is journaled (before its node's result is saved), or at a random time. */
function killPlan(kind: number, where: number, calls: number, journaled: number, referenceMs: number) {
  if (kind < 0.4) return { atRequest: 1 + Math.floor(where * calls), settleMs: Math.floor(where * 97) % 60 };
  if (kind < 0.8) return { atJournal: Math.min(calls, journaled + 1 + Math.floor(where * (calls - journaled))), settleMs: 0 };
  return { afterMs: 100 + Math.floor(where * referenceMs * 0.8), settleMs: 0 };
}

describe.each(backends)("kill -9 and resume (%s)", (_name, checkpointerFor) => {
  let server: ScriptedServer;
  let hook: BeforeReply | undefined;
  let dir: string;
  let referenceMs = 0;
  let reference: { repo: Record<string, string>; artifacts: Record<string, string>; keys: string[]; tokens: number };

  const model = () => [...modelFlags("compat:scripted", server.baseUrl), "--checkpointer", checkpointerFor(dir)];

  beforeAll(async () => {
    server = await startScriptedServer(tinyRules(), { beforeReply: (r, i) => (hook ? hook(r, i) : "answer") });
    dir = await mkdtemp(join(tmpdir(), "p2c-crash-"));
    const out = join(dir, "reference");
    const started = Date.now();
    const result = await runCli(["run", TINY_PAPER, ...model(), "--out", out, "--concurrency", "4", "-q"]);
    referenceMs = Date.now() - started;
    expect(result.code, result.stderr).toBe(0);
    const keys = server.requests.filter((r) => r.completed).map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length); // a plain run never sends the same request twice
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    reference = {
      repo: treeContents(join(out, "repo")),
      artifacts: treeContents(join(out, "artifacts")),
      keys: keys.sort(),
      tokens: run.usage.total.inputTokens + run.usage.total.outputTokens,
    };
    server.requests.length = 0;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (!process.env.PAPER2CODE_KEEP_TEST_DIRS) await rm(dir, { recursive: true, force: true });
  });

  it(`survives ${TRIALS} random kills (seed ${SEED}) without repeating a completed call`, async () => {
    const random = seededRandom(SEED);
    const calls = reference.keys.length;
    let kills = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const label = `trial ${trial} (seed ${SEED})`;
      const out = join(dir, `trial-${trial}`);
      const threadId = randomUUID(); // a PostgreSQL database outlives the test run
      const start = server.requests.length;
      const completed = () =>
        new Set(
          server.requests
            .slice(start)
            .filter((r) => r.completed)
            .map((r) => r.key),
        );
      const journal = () =>
        existsSync(join(out, ".paper2code", "calls"))
          ? readdirSync(join(out, ".paper2code", "calls")).filter((f) => f.endsWith(".json")).length
          : 0;

      // One or two kills: at a random request, or at a random time (which may fall before the first request).
      let killsLeft = trial % 3 === 2 ? 2 : 1;
      let command: "run" | "resume" = "run";
      for (let attempt = 0; attempt < 10; attempt++) {
        const killer =
          killsLeft > 0 ? new Killer(killPlan(random(), random(), calls, journal(), referenceMs), completed, journal) : undefined;
        hook = killer?.hook;
        const args =
          command === "run"
            ? ["run", TINY_PAPER, ...model(), "--out", out, "--thread-id", threadId, "--concurrency", "4", "-q"]
            : ["resume", threadId, "--checkpointer", checkpointerFor(dir), "-q"];
        const { child, done } = startCli(args);
        killer?.attach(child);
        const result = await done;
        hook = undefined;
        if (killer?.killed) expect(killer.problem, label).toBeUndefined();
        // The process may have ended on its own just before the signal: then it was not killed.
        if (result.signal === "SIGKILL") {
          kills += 1;
          killsLeft -= 1;
          command = "resume";
          continue;
        }
        if (command === "resume" && result.code === 3) {
          command = "run"; // killed before its first checkpoint: there is nothing to resume, so start again
          continue;
        }
        expect(result.code, `${label}: ${result.stderr}`).toBe(0);
        break;
      }

      const requests = server.requests.slice(start);
      const done = requests.filter((r) => r.completed).map((r) => r.key);
      const repeated = done.filter((key, i) => done.indexOf(key) !== i);
      expect(repeated, `${label}: completed calls made again`).toEqual([]);
      expect(done.sort(), `${label}: the calls of an uninterrupted run, each once`).toEqual(reference.keys);
      expect(treeContents(join(out, "repo")), label).toEqual(reference.repo);
      expect(treeContents(join(out, "artifacts")), label).toEqual(reference.artifacts);
      const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
      expect(run.status, label).toBe("complete");
      expect(run.usage.total.inputTokens + run.usage.total.outputTokens, `${label}: usage counted once`).toBe(reference.tokens);
    }
    // 16 kills are planned over 12 trials; one timed after its process had already finished does not count.
    expect(kills).toBeGreaterThanOrEqual(Math.min(TRIALS, 10));
  }, 600_000);
});
