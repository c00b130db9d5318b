import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, runCli } from "../support/cli.js";
import { filesUnder } from "../support/crash.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type FaultReply } from "../support/scripted-server.js";

describe("API keys never reach what paper2code writes", () => {
  it("a planted key is in no byte of the output, artifacts, journal, checkpoint database or logs, through failures, a review and a resume", async () => {
    const key = `sk-canary-${randomBytes(12).toString("hex")}`;
    // A 503, a 429, an unusable reply (re-asked) and a failed file (resumed): the error paths write too.
    const faults = new Map<string, FaultReply[]>([
      ["planner", [{ status: 503 }]],
      ["analyst:model.py", [{ status: 429, headers: { "retry-after": "0" } }]],
    ]);
    let brokenCoder = true;
    const rules = tinyRules().map((rule) =>
      rule.name === "coder:data.py" ? { ...rule, reply: () => (brokenCoder ? "```python\n```" : (rule.reply as string)) } : rule,
    );
    const server = await startScriptedServer(rules, {
      beforeReply: (request) => faults.get(request.rule ?? "")?.shift() ?? "answer",
    });
    const home = await mkdtemp(join(tmpdir(), "p2c-secrets-"));
    try {
      const env = { OPENAI_API_KEY: key, PAPER2CODE_HOME: home };
      const base = ["--checkpointer", join(home, "checkpoints.sqlite")];
      const logs: string[] = [];
      const first = await runCli(
        [
          "run",
          TINY_PAPER,
          ...modelFlags("openai:gpt-4.1-mini", server.baseUrl),
          "--out",
          join(home, "out"),
          "--review",
          "config",
          ...base,
        ],
        { env },
      );
      logs.push(first.stdout, first.stderr);
      expect(first.code, first.stderr).toBe(7);
      const id = /run ([0-9a-f-]{36}) -> /.exec(first.stderr)![1]!;
      const failed = await runCli(["resume", id, "--approve", ...base], { env });
      logs.push(failed.stdout, failed.stderr);
      expect(failed.code).toBe(5);
      brokenCoder = false;
      const done = await runCli(["resume", id, "--json", ...base], { env });
      logs.push(done.stdout, done.stderr);
      expect(done.code, done.stderr).toBe(0);
      const listed = await runCli(["runs", "--json", ...base], { env });
      logs.push(listed.stdout, listed.stderr);

      // The key did reach the server (so it was really in use), and nothing else.
      expect(new Set(server.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${key}`]));
      const files = filesUnder(home);
      expect(files.some((f) => f.endsWith("checkpoints.sqlite"))).toBe(true);
      expect(files.some((f) => f.includes(join(".paper2code", "calls")))).toBe(true);
      for (const file of files) expect(readFileSync(file).includes(key), file).toBe(false);
      for (const log of logs) expect(log.includes(key)).toBe(false);
    } finally {
      await server.close();
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);
});
