import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manyFileRules } from "../fixtures/many-files.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type LoggedRequest, type ScriptedServer } from "../support/scripted-server.js";
import { withScriptedServer } from "../support/workspace.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Coding order and what each coder sees, on the 12-file fixture (utils, data, models). */
/** The many-file fixture's server with one file's reply held back, so what waits for it (and what does not) shows in the request log. */
const holdingBackServer = (files: number, slow: () => string | undefined, ms: number) => () =>
  startScriptedServer(manyFileRules(files).rules, {
    beforeReply: async (request) => {
      if (request.rule === slow()) await sleep(ms);
      return "answer" as const;
    },
  });

describe("coding schedule and coder context", () => {
  let server: ScriptedServer;
  let dir: string;
  let slow: string | undefined;

  withScriptedServer(
    "p2c-schedule-",
    holdingBackServer(12, () => slow, 1500),
    (s, d) => ((server = s), (dir = d)),
  );

  async function run(name: string, ...flags: string[]): Promise<LoggedRequest[]> {
    const start = server.requests.length;
    const result = await runCli([
      ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, join(dir, name), join(dir, "c.sqlite")),
      "--refine",
      "0",
      "-q",
      ...flags,
    ]);
    expect(result.code, result.stderr).toBe(0);
    return server.requests.slice(start);
  }
  const coder = (requests: LoggedRequest[], path: string) => requests.find((r) => r.rule === `coder:${path}`)!;

  it("starts each file as soon as its own dependencies are written, not when a slow unrelated file is", async () => {
    slow = "coder:models/layers.py";
    const requests = await run("parallel", "--concurrency", "8");
    slow = undefined;
    const layers = coder(requests, "models/layers.py");
    // data/loader.py depends on data/dataset.py -> data/tokenizer.py -> utils/io.py, not on layers: it was coded while layers was held.
    expect(coder(requests, "data/loader.py").finishedAt!).toBeLessThan(layers.finishedAt!);
    // models/attention.py imports layers: it waited for it.
    expect(coder(requests, "models/attention.py").startedAt!).toBeGreaterThanOrEqual(layers.finishedAt!);
  }, 60_000);

  it("--schedule sequential makes one call at a time, coders in implementation order", async () => {
    const requests = await run("sequential", "--schedule", "sequential");
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.startedAt!).toBeGreaterThanOrEqual(requests[i - 1]!.finishedAt!);
    const coders = requests.filter((r) => r.rule?.startsWith("coder:")).map((r) => r.rule!.slice("coder:".length));
    expect(coders).toEqual([...manyFileRules(12).modules.map((m) => m.path), "reproduce.sh"]);
  }, 60_000);

  it("shows the coder its imports in full and their dependencies' interfaces only (scoped); every earlier file with --context full", async () => {
    const scoped = coder(await run("scoped"), "models/model.py").task;
    const [imports, interfaces] = scoped.split("## Interfaces of the files those depend on");
    expect(imports).toContain('value = config["files"]["models_encoder"]'); // encoder.py in full
    expect(imports).toContain('value = config["files"]["models_decoder"]');
    expect(interfaces).toContain("def run_models_attention(config)"); // attention.py: signature only
    expect(interfaces).not.toContain('config["files"]["models_attention"]');
    expect(scoped).not.toContain("run_utils_io"); // unrelated files are not shown

    const full = coder(await run("full", "--context", "full"), "models/model.py").task;
    for (const earlier of ["utils_io", "data_loader", "models_attention", "models_encoder"])
      expect(full).toContain(`config["files"]["${earlier}"]`);
    expect(full.length).toBeGreaterThan(scoped.length);
  }, 60_000);
});

describe("no idle waits: analysis and coding file by file", () => {
  let server: ScriptedServer;
  let dir: string;
  const SLOW = "analyst:eval/metrics.py";

  withScriptedServer(
    "p2c-nowait-",
    holdingBackServer(16, () => SLOW, 2000),
    (s, d) => ((server = s), (dir = d)),
  );

  it("a coder starts before an unrelated slow analysis ends, and never before the files it imports are written", async () => {
    const result = await runCli([
      ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, join(dir, "out"), join(dir, "c.sqlite")),
      "--refine",
      "0",
      "-q",
      "--concurrency",
      "8",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const requests = server.requests;
    const slow = requests.find((r) => r.rule === SLOW)!;
    const loader = requests.find((r) => r.rule === "coder:data/loader.py")!;
    // data/loader.py neither is nor imports eval/metrics.py: it is written while that analysis is held.
    expect(loader.finishedAt!).toBeLessThan(slow.finishedAt!);
    for (const m of manyFileRules(16).modules) {
      const coder = requests.find((r) => r.rule === `coder:${m.path}`)!;
      for (const dep of m.dependsOn)
        expect(coder.startedAt!, `${m.path} after ${dep}`).toBeGreaterThanOrEqual(
          requests.find((r) => r.rule === `coder:${dep}`)!.finishedAt!,
        );
      const analysis = requests.find((r) => r.rule === `analyst:${m.path}`);
      if (analysis) expect(coder.startedAt!).toBeGreaterThanOrEqual(analysis.finishedAt!);
    }
  }, 60_000);

  it("keeps the barrier when the analyses are reviewed: no coder before every analysis is approved", async () => {
    const start = server.requests.length;
    const out = join(dir, "reviewed");
    const paused = await runCli([
      ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, out, join(dir, "c.sqlite")),
      "--refine",
      "0",
      "-q",
      "--review",
      "analysis",
    ]);
    expect(paused.code, paused.stderr).toBe(7);
    const made = server.requests.slice(start);
    expect(made.filter((r) => r.rule?.startsWith("coder:"))).toEqual([]);
    expect(made.filter((r) => r.rule?.startsWith("analyst:")).length).toBeGreaterThan(0);
  }, 60_000);
});
