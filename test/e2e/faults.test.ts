import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, placeFlags, runCli } from "../support/cli.js";
import { treeContents } from "../support/crash.js";
import { expectClearFailure, FAULTS, faultNamed, replyKindOf, type FaultCase } from "../support/faults.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type BeforeReply, type ScriptedServer } from "../support/scripted-server.js";

describe("provider faults and malformed replies, one at a time", () => {
  let dir: string;
  let reference: Record<string, string>;
  let baseline: { reasks: number; continuations: number; tolerated: number };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "p2c-faults-"));
    const { result, out } = await run("reference", () => "answer");
    expect(result.code, result.stderr).toBe(0);
    reference = treeContents(join(out, "repo"));
    baseline = JSON.parse(await readFile(join(out, "run.json"), "utf8")).repairs;
  }, 60_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function run(name: string, beforeReply: BeforeReply, extra: string[] = []) {
    const server: ScriptedServer = await startScriptedServer(tinyRules(), { beforeReply });
    try {
      const out = join(dir, name.replace(/\W+/g, "_"));
      const args = [...placeFlags(out, join(dir, "c.sqlite")), "--refine", "0", "--timeout", "2", "-q", ...extra];
      const result = await runCli(["run", TINY_PAPER, ...modelFlags("compat:m", server.baseUrl), ...args]);
      return { result, out, server };
    } finally {
      await server.close();
    }
  }

  /** A rule whose replies are of the kinds the fault applies to. */
  const targetFor = (fault: FaultCase) =>
    ["coder:model.py", "planner", "config_writer"].find((rule) => !fault.kinds || fault.kinds.includes(replyKindOf(rule)))!;

  it.each(FAULTS.map((f) => [f.name, f] as const))(
    "%s: survived, and the repository is the same as without it",
    async (_, fault) => {
      const target = targetFor(fault);
      let injected = 0;
      const { result, out, server } = await run(fault.name, (request) =>
        request.rule === target && injected++ === 0 ? fault.fault : "answer",
      );
      expect(result.code, result.stderr).toBe(0);
      expect(server.requests.filter((r) => r.fault)).toHaveLength(1);
      expect(treeContents(join(out, "repo"))).toEqual(reference);
      const report = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
      expect(report.status).toBe("complete");
      const extra = {
        reasks: report.repairs.reasks - baseline.reasks,
        continuations: report.repairs.continuations - baseline.continuations,
        tolerated: report.repairs.tolerated - baseline.tolerated,
      };
      // Each repair the fault needed is counted in run.json, and a retried request needs none.
      expect(extra).toEqual({
        reasks: fault.survivedBy === "reask" ? 1 : 0,
        continuations: fault.survivedBy === "continuation" ? 1 : 0,
        tolerated: fault.survivedBy === "tolerated" ? 1 : 0,
      });
      const target_requests = server.requests.filter((r) => r.rule === target);
      expect(target_requests.length).toBe(fault.survivedBy === "tolerated" ? 1 : 2);
    },
    60_000,
  );

  it.each([
    [
      "HTML error page with status 200",
      "coder:data.py",
      /502 the server answered status 200 with text\/html instead of JSON: "502 Bad Gateway"/,
    ],
    ["content-filter refusal", "planner", /planner: unusable reply after a re-ask: the provider's content filter stopped the reply/],
    ["timeout", "analyst:train.py", /timed out/i],
    [
      "finish_reason length (code)",
      "coder:data.py",
      /coder: unusable reply after a re-ask: the reply was cut off at the output token limit/,
    ],
    ["empty choices", "architect", /no choices/],
  ])(
    "%s, every time: the run fails with a clear message, writes no partial file, and resumes to the same repository",
    async (name, target, message) => {
      let persisting = true;
      const fault = faultNamed(name);
      const { result, out, server } = await run(
        `persisting ${name}`,
        (request) => (persisting && request.rule === target ? fault.fault : "answer"),
        ["--max-retries", "1"],
      );
      expectClearFailure(result);
      expect(result.stderr).toMatch(message);
      const report = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
      expect(report.status).toBe("failed");
      if (target.startsWith("coder:")) expect(existsSync(join(out, "repo", target.slice("coder:".length)))).toBe(false);

      persisting = false;
      const id = /paper2code resume ([0-9a-f-]{36})/.exec(result.stderr)![1]!;
      const server2 = await startScriptedServer(tinyRules());
      try {
        const resumed = await runCli(["resume", id, "--base-url", server2.baseUrl, "--checkpointer", join(dir, "c.sqlite"), "-q"]);
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(treeContents(join(out, "repo"))).toEqual(reference);
        // Calls that had been answered before the failure are not made again.
        const answered = new Set(server.requests.filter((r) => r.status === 200 && !r.fault).map((r) => r.key));
        expect(server2.requests.filter((r) => answered.has(r.key))).toEqual([]);
      } finally {
        await server2.close();
      }
    },
    90_000,
  );
});
