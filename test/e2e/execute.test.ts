import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bubblewrapWorks } from "../../src/execution/sandbox.js";
import { BUGGY_CODE, buggyRepoRules } from "../fixtures/buggy-repo.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";
import type { Rule } from "../support/rules.js";

/** Generated code is run only on request, in a sandbox; the debugger fixes what fails. Standard-library code, so --no-install. */
describe("the smoke run and the debugger", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "p2c-execute-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function run(name: string, rules: Rule[], extra: string[], env: NodeJS.ProcessEnv = {}) {
    const server: ScriptedServer = await startScriptedServer(rules);
    try {
      const out = join(dir, name);
      const args = [...runArgs(TINY_PAPER, "compat:m", server.baseUrl, out, join(dir, "c.sqlite")), "--refine", "0", ...extra];
      const result = await runCli(args, { env });
      const report = existsSync(join(out, "run.json")) ? JSON.parse(readFileSync(join(out, "run.json"), "utf8")) : undefined;
      return { result, out, server, report };
    } finally {
      await server.close();
    }
  }

  it("fixes a missing import, a wrong config key, a NameError and a failing code path, one round each, until the smoke run exits 0", async () => {
    const { result, out, server, report } = await run("fixed", buggyRepoRules(), [
      "--execute",
      "--python",
      "python3",
      "--no-install",
      "--debug-rounds",
      "5",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`will run generated code in ${join(out, "repo")}`);
    expect(result.stderr).toMatch(/smoke run: passed after 4 debugger round\(s\) \(4 of \d+ lines, [\d.]+%, modified\)/);
    const execution = report.execution;
    expect(execution.passed).toBe(true);
    expect(execution.runs.map((r: { failure?: { kind: string } }) => r.failure?.kind ?? "passed")).toEqual([
      "import-error",
      "config-key",
      "type-value-error",
      "name-error",
      "passed",
    ]);
    expect(execution.debugRounds).toBe(4);
    expect(execution.modifiedLines).toBe(4);
    expect(execution.share).toBeCloseTo(4 / execution.totalLines, 6);
    // The first answer quoted lines that are not in main.py: not applied, re-asked with the reason.
    const debuggerCalls = server.requests.filter((r) => r.rule?.startsWith("debugger:"));
    expect(debuggerCalls.map((r) => r.rule)).toEqual(["debugger:json", "debugger:json", "debugger:key", "debugger:path", "debugger:name"]);
    expect(report.repairs.items.filter((i: { agent: string }) => i.agent === "debugger").map((i: { reason: string }) => i.reason)).toEqual([
      "no edit was applied: edit 1 (main.py): the SEARCH text matches nothing in the file; copy the lines exactly as they are, indentation included",
    ]);
    // Backups, diffs and logs of every round.
    const debug = join(out, "artifacts", "debug");
    expect(readFileSync(join(debug, "round-1", "before", "main.py"), "utf8")).toBe(BUGGY_CODE["main.py"]);
    expect(readFileSync(join(debug, "round-1", "changes.diff"), "utf8")).toContain("+import json");
    expect(readFileSync(join(debug, "original", "train.py"), "utf8")).toBe(BUGGY_CODE["train.py"]);
    expect(readFileSync(join(debug, "round-0", "smoke.log"), "utf8")).toContain("NameError: name 'json' is not defined");
    expect(readFileSync(join(out, "repo", "train.py"), "utf8")).toContain('key = "steps"');
    expect(readFileSync(join(debug, "round-4", "smoke.log"), "utf8")).toMatch(/^0 (0\.5|1\.0|0\.0)$/m);
  }, 120_000);

  it("with --debug-rounds 0 reports the failure with its class and asks no debugger", async () => {
    const { result, server, report } = await run("rounds-0", buggyRepoRules(), [
      "--execute",
      "--python",
      "python3",
      "--no-install",
      "--debug-rounds",
      "0",
    ]);
    expect(result.code, result.stderr).toBe(9);
    expect(result.stderr).toMatch(/smoke run: FAILED \[import-error\] NameError: name 'json' is not defined after 0 debugger round\(s\)/);
    expect(report.status).toBe("complete");
    expect(report.execution).toMatchObject({ passed: false, debugRounds: 0, failure: { kind: "import-error", files: ["main.py"] } });
    expect(server.requests.some((r) => r.rule?.startsWith("debugger:"))).toBe(false);
  }, 120_000);

  it("`debug <id>` runs a finished run's smoke test later, from its checkpoint", async () => {
    const first = await run("later", buggyRepoRules(), []);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(first.report.execution).toBeUndefined();
    const id = first.report.threadId as string;
    const server = await startScriptedServer(buggyRepoRules());
    try {
      const debugged = await runCli([
        "debug",
        id,
        "--base-url",
        server.baseUrl,
        "--checkpointer",
        join(dir, "c.sqlite"),
        "--python",
        "python3",
        "--no-install",
        "--debug-rounds",
        "5",
      ]);
      expect(debugged.code, debugged.stderr).toBe(0);
      expect(server.requests.map((r) => r.rule)).toEqual([
        "debugger:json",
        "debugger:json",
        "debugger:key",
        "debugger:path",
        "debugger:name",
      ]);
      const report = JSON.parse(readFileSync(join(first.out, "run.json"), "utf8"));
      expect(report.execution.passed).toBe(true);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("refuses a --python that does not run, before any model call", async () => {
    const { result, server } = await run("bad-python", buggyRepoRules(), ["--execute", "--python", join(dir, "no-such-python")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--python .*no-such-python is not a working Python 3 \(spawnSync .* ENOENT\)/);
    expect(server.requests).toEqual([]);
  }, 60_000);

  it("runs nothing without --execute or debug: no python, shell or sandbox process is started", async () => {
    const shims = join(dir, "shims");
    const log = join(dir, "spawned.log");
    mkdirSync(shims, { recursive: true });
    for (const name of ["python3", "python", "bash", "sh", "bwrap", "pip"]) {
      writeFileSync(join(shims, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\nexit 1\n`);
      chmodSync(join(shims, name), 0o755);
    }
    const env = { PATH: `${shims}${delimiter}${process.env.PATH}` };
    const plain = await run("no-execute", buggyRepoRules(), [], env);
    expect(plain.result.code, plain.result.stderr).toBe(0);
    expect(existsSync(log)).toBe(false);
    // The shims do catch a spawn: with --execute they are called.
    const executed = await run("shimmed-execute", buggyRepoRules(), ["--execute", "--no-install", "--debug-rounds", "0"], env);
    expect(executed.result.code).not.toBe(0);
    expect(readFileSync(log, "utf8")).toMatch(/^(python3|bash|bwrap) /m);
  }, 120_000);
});

describe.skipIf(!bubblewrapWorks())("the bubblewrap sandbox", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "p2c-sandbox-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("keeps the user's home, the API key and the network out of the generated code's reach", async () => {
    const home = join(dir, "home");
    mkdirSync(home);
    const secret = `secret-${Date.now()}`;
    writeFileSync(join(home, "credentials"), secret);
    const key = `sk-sandbox-canary-${Date.now()}`;
    const listener = createServer((socket) => socket.end("hello")).listen(0, "127.0.0.1");
    await new Promise((resolve) => listener.once("listening", resolve));
    const port = (listener.address() as { port: number }).port;
    const probe = [
      "import os, socket",
      "",
      "",
      "def main():",
      "    try:",
      `        print("home:", open(${JSON.stringify(join(home, "credentials"))}).read())`,
      "    except OSError as e:",
      '        print("home: blocked", type(e).__name__)',
      '    print("key:", os.environ.get("OPENAI_API_KEY"), "home var:", os.environ.get("HOME"))',
      "    try:",
      `        socket.create_connection(("127.0.0.1", ${port}), timeout=2).recv(5)`,
      '        print("network: reached")',
      "    except OSError as e:",
      '        print("network: blocked", type(e).__name__)',
      "    try:",
      `        open(${JSON.stringify(join(dir, "outside.txt"))}, "w").write("x")`,
      '        print("write outside: done")',
      "    except OSError as e:",
      '        print("write outside: blocked", type(e).__name__)',
      "",
      "",
      'if __name__ == "__main__":',
      "    main()",
      "",
    ].join("\n");
    const server = await startScriptedServer(buggyRepoRules({ ...BUGGY_CODE, "main.py": probe }));
    try {
      const out = join(dir, "out");
      const result = await runCli(
        [
          ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, out, join(dir, "c.sqlite")),
          "--refine",
          "0",
          "--execute",
          "--python",
          "python3",
          "--no-install",
        ],
        { env: { OPENAI_API_KEY: key, HOME: home } },
      );
      expect(result.code, result.stderr).toBe(0);
      const output = readFileSync(join(out, "artifacts", "debug", "round-0", "smoke.log"), "utf8");
      expect(output).toMatch(/home: blocked (FileNotFoundError|PermissionError)/);
      expect(output).toMatch(/key: None home var: .*\.paper2code\/home/);
      expect(output).toMatch(/network: blocked/);
      // A write outside the run folder lands nowhere on the host (blocked, or in the sandbox's own throw-away /tmp).
      expect(output).not.toContain(secret);
      expect(output).not.toContain(key);
      expect(existsSync(join(dir, "outside.txt"))).toBe(false);
      expect(JSON.parse(readFileSync(join(out, "run.json"), "utf8")).execution.isolation).toBe("bubblewrap");
    } finally {
      listener.close();
      await server.close();
    }
  }, 120_000);
});
