import { existsSync, writeFileSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, runArgs, runCli, startCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, taskIs, type Rule, type ScriptedServer } from "../support/scripted-server.js";
import { withScriptedServer } from "../support/workspace.js";

/** Defects a new user met (issue 17), each through the CLI against the scripted server. */
describe("robust in a user's hands", () => {
  let server: ScriptedServer;
  let dir: string;
  let db: string;
  const env = { OPENAI_API_KEY: "sk-test-not-a-real-key" };
  const cli = (args: string[]) => runCli([...args, "--checkpointer", db], { env, cwd: dir });
  // openai:gpt-4.1-mini at a local base URL: a model with a known price, served by the scripted server.
  const run = (out: string, ...extra: string[]) =>
    cli(["run", TINY_PAPER, ...modelFlags("openai:gpt-4.1-mini", server.baseUrl), "--out", join(dir, out), "--refine", "0", ...extra]);
  const threadOf = (stderr: string) => /run ([0-9a-f-]{36}) -> /.exec(stderr)![1]!;
  const report = async (out: string) => JSON.parse(await readFile(join(dir, out, "run.json"), "utf8"));
  const oneLine = (stderr: string) => expect(stderr.trim().split("\n"), stderr).toHaveLength(1);

  // The planner answers only in the provider's JSON mode, as a server that writes poor JSON in text does.
  const plannerNeedsNativeJson = (rules: Rule[]): Rule[] =>
    rules.map((r) =>
      r.name !== "planner"
        ? r
        : {
            ...r,
            match: taskIs("the reproduction plan"),
            reply: (req) =>
              req.body?.response_format
                ? (r.reply as string)
                : "Sure! The plan: a perceptron, trained for a while. Let me know if you want JSON.",
          },
    );

  withScriptedServer(
    "p2c-robust-",
    () => startScriptedServer(plannerNeedsNativeJson(tinyRules()), { models: ["gpt-4.1-mini"] }),
    (s, d) => ((server = s), (dir = d), (db = join(d, "checkpoints.sqlite"))),
  );

  it("a new run into a folder holding a run is refused in one line; --force starts over, clearing the journal", async () => {
    const first = await run("taken", "--structured-output", "native");
    expect(first.code, first.stderr).toBe(0);
    const id = threadOf(first.stderr);
    const paid = server.requests.length;

    const again = await run("taken", "--structured-output", "native");
    expect(again.code).toBe(2);
    oneLine(again.stderr);
    expect(again.stderr).toContain(
      `holds run ${id} (complete): continue it with \`paper2code resume ${id}\`, choose another --out, or pass --force`,
    );
    expect(server.requests.length).toBe(paid); // nothing asked, nothing replayed

    const forced = await run("taken", "--structured-output", "native", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(server.requests.length).toBe(2 * paid); // every call made again: the old journal is gone
    const forcedReport = await report("taken");
    expect(forcedReport.replayed.calls).toBe(0);
    expect(forcedReport.costUsd).toBeGreaterThan(0);
    const listed = JSON.parse((await cli(["runs", "--json"])).stdout) as { id: string; outDir: string }[];
    expect(listed.filter((r) => r.outDir === join(dir, "taken")).map((r) => r.id)).toEqual([threadOf(forced.stderr)]);
  });

  it.each([
    [
      "a file",
      async () => {
        await writeFile(join(dir, "a-file"), "x");
        return join(dir, "a-file");
      },
      /a file is there, not a folder/,
    ],
    [
      "a folder below a file",
      async () => {
        await writeFile(join(dir, "b-file"), "x");
        return join(dir, "b-file", "out");
      },
      /is a file, not a folder/,
    ],
    ["/proc/nope/x (a recursive mkdir there never returns)", async () => "/proc/nope/x", /cannot create \/proc\/nope/],
    ["a folder where nothing can be made", async () => "/proc/self/x", /--out \/proc\/self\/x: cannot create/],
  ])("--out at %s: exit 2 in one line, before any call", async (_, where, message) => {
    const before = server.requests.length;
    const r = await runCli(
      ["run", TINY_PAPER, ...modelFlags("openai:gpt-4.1-mini", server.baseUrl), "--out", await where(), "--checkpointer", db],
      { env, cwd: dir },
    );
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(message);
    expect(server.requests.length).toBe(before);
  });

  it("a closed reader of the progress lines does not stop the run", async () => {
    const out = join(dir, "piped");
    const { child, done } = startCli(
      [
        "run",
        TINY_PAPER,
        ...modelFlags("openai:gpt-4.1-mini", server.baseUrl),
        "--out",
        out,
        "--refine",
        "0",
        "--structured-output",
        "native",
        "--checkpointer",
        db,
      ],
      { env, cwd: dir },
    );
    // As `2>&1 | head -1`: the reader goes away after the first line.
    child.stderr!.once("data", () => child.stderr!.destroy());
    const result = await done;
    expect(result.code).toBe(0);
    expect((await report("piped")).status).toBe("complete");
  });

  it("a model server that is not there: which URL, what to try, exit 5, no run folder", async () => {
    const port = await freePort();
    const out = join(dir, "nowhere");
    const started = Date.now();
    const r = await runCli([...runArgs(TINY_PAPER, "ollama:qwen2.5-coder:14b", `http://127.0.0.1:${port}/v1`, out, db)], { cwd: dir });
    expect(r.code).toBe(5);
    oneLine(r.stderr);
    expect(r.stderr).toContain(
      `cannot reach the model server at http://127.0.0.1:${port}/v1/models (ECONNREFUSED): is Ollama running (\`ollama serve\`)`,
    );
    expect(Date.now() - started).toBeLessThan(15_000); // no 20 s of silent retries
    expect(existsSync(out)).toBe(false);
  });

  it("a bad paper and a server that is not there: the paper is the error reported (the server is asked while the paper loads)", async () => {
    const port = await freePort();
    const paper = join(dir, "empty.md");
    writeFileSync(paper, "");
    const out = join(dir, "bad-paper-nowhere");
    const r = await runCli([...runArgs(paper, "ollama:qwen2.5-coder:14b", `http://127.0.0.1:${port}/v1`, out, db)], { cwd: dir });
    oneLine(r.stderr);
    expect(r.stderr).not.toContain("cannot reach the model server");
    expect(r.code).not.toBe(5);
    expect(r.code).toBeGreaterThanOrEqual(3);
    expect(existsSync(out)).toBe(false);
  });

  it("a server that does not serve the model says which it serves", async () => {
    const r = await runCli(
      ["run", TINY_PAPER, ...modelFlags("vllm:Qwen/Qwen2.5-7B", server.baseUrl), "--out", join(dir, "unserved"), "--checkpointer", db],
      { cwd: dir },
    );
    expect(r.code).toBe(5);
    expect(r.stderr.trim()).toBe(
      `paper2code: the model server at ${server.baseUrl}/models does not serve Qwen/Qwen2.5-7B (it serves gpt-4.1-mini)`,
    );
    expect(existsSync(join(dir, "unserved"))).toBe(false);
  });

  it("a misspelt provider is refused with the known ones", async () => {
    const r = await runCli(["run", TINY_PAPER, "--model", "opneai:gpt-4.1", "--out", join(dir, "typo")], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "paper2code: --model opneai:gpt-4.1: unknown provider 'opneai' (did you mean 'openai'? known: openai, compat, ollama, vllm, lmstudio, openrouter, anthropic)",
    );
  });

  it("a run failed on the output mode counts its calls, and resume --structured-output rescues it; run.json says what changed", async () => {
    const failed = await run("rescued"); // a local base URL: JSON in text, which this server's planner does not write
    expect(failed.code).toBe(5);
    const id = threadOf(failed.stderr);
    const failedReport = await report("rescued");
    expect(failedReport.status).toBe("failed");
    expect(failedReport.usage.total.calls).toBe(2); // the answer and its re-ask, both paid
    expect(failedReport.usage.byAgent.planner.calls).toBe(2);

    const before = server.requests.length;
    const resumed = await cli([
      "resume",
      id,
      "--structured-output",
      "native",
      "--temperature",
      "0.1",
      "--max-output-tokens",
      "9000",
      "--rpm",
      "600",
      "--tpm",
      "2000000",
      "--reasoning-effort",
      "low",
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('setting structuredOutput: "default" -> "native"');
    expect(server.requests.slice(before).find((r) => r.rule === "planner")?.responseFormat).toMatchObject({ type: "json_schema" });
    const rescued = await report("rescued");
    expect(rescued.status).toBe("complete");
    expect(rescued.settingsChanged.map((c: { setting: string; now: unknown }) => [c.setting, c.now])).toEqual([
      ["temperature", 0.1],
      ["reasoningEffort", "low"],
      ["maxOutputTokens", 9000],
      ["structuredOutput", "native"],
      ["rpm", 600],
      ["tpm", 2000000],
    ]);
    // The failed attempt's two calls still count, next to the rescued run's own.
    expect(rescued.failedStepCalls).toHaveLength(2);
    expect(rescued.usage.total.calls).toBe(2 + server.requests.length - before);
  });

  it("usage errors: one line, exit 2, where the help is; --version; examples in each command's help", async () => {
    const bad = await runCli(["run", TINY_PAPER, "--budget", "abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "paper2code: option '--budget <usd>' argument 'abc' is invalid. --budget must be a number >= 0 (see paper2code run --help)\n",
    );
    const unknown = await runCli(["resume", "x", "--frobnicate"]);
    expect([unknown.code, unknown.stderr]).toEqual([2, "paper2code: unknown option '--frobnicate' (see paper2code resume --help)\n"]);
    const version = await runCli(["--version"]);
    const { version: expected } = JSON.parse(await readFile(join(import.meta.dirname, "..", "..", "package.json"), "utf8"));
    expect([version.code, version.stdout.trim()]).toEqual([0, expected]);
    for (const command of ["run", "resume", "rewind", "edit", "debug", "eval", "runs", "ingest"]) {
      const help = await runCli([command, "--help"]);
      expect(help.code).toBe(0);
      const examples = help.stdout.split("\nExamples:\n")[1] ?? "";
      expect(examples.split("\n").filter((l) => l.startsWith(`  $ paper2code ${command}`)).length, command).toBeGreaterThanOrEqual(2);
    }
  });

  it("leaves nothing in the work folder but what the tests made", async () => {
    const entries = await readdir(dir);
    expect(entries.filter((e) => !e.startsWith("checkpoints.sqlite"))).toEqual(expect.arrayContaining(["taken", "piped", "rescued"]));
    expect(entries).not.toContain("nowhere");
  });
});

/** A port nothing listens on: bound once, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
