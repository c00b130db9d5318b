/**
 * paper2code's own overhead, with a model that answers at once: the CLI's start-up
 * (`paper2code --help`) and whole runs against the scripted server (zero latency),
 * with and without report.html, each the median of several runs: the tiny fixture
 * (17 calls) and the 10-file fixture (26 calls). `--cli` measures another build of
 * the CLI (e.g. tsc's unbundled dist/src/cli/main.js) beside the shipped bundle.
 *   npm run build && npx tsx bench/overhead.ts [--runs 7] [--cli dist/src/cli/main.js]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { manyFileRules } from "../test/fixtures/many-files.js";
import { tinyRules } from "../test/fixtures/tiny-replies.js";
import type { Rule } from "../test/support/rules.js";
import { CLI, runArgs } from "../test/support/cli.js";
import { TINY_PAPER } from "../test/support/node-state.js";
import { startScriptedServer } from "../test/support/scripted-server.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "7" }, cli: { type: "string", multiple: true } } });
const runs = Number(values.runs);
const clis = [CLI, ...(values.cli ?? []).map((c) => resolve(c))];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function timed(cli: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, OPENAI_API_KEY: "sk-bench-not-a-key", PAPER2CODE_MODEL: "" },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${cli} ${args[0]} exited ${result.status}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** One run against a scripted server in this process (so the CLI is spawned without blocking it). */
async function runOnce(cli: string, rules: () => Rule[], extra: string[]): Promise<{ ms: number; calls: number }> {
  const scripted = await startScriptedServer(rules());
  const dir = mkdtempSync(join(tmpdir(), "p2c-overhead-"));
  try {
    const started = Date.now();
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(
        process.execPath,
        [cli, ...runArgs(TINY_PAPER, "compat:m", scripted.baseUrl, join(dir, "out"), join(dir, "c.sqlite")), "-q", ...extra],
        { env: { ...process.env, OPENAI_API_KEY: "sk-bench-not-a-key", PAPER2CODE_MODEL: "" }, stdio: "ignore" },
      );
      child.on("error", fail);
      child.on("close", done);
    });
    if (code !== 0) throw new Error(`${cli} run exited ${code}`);
    return { ms: Date.now() - started, calls: scripted.requests.length };
  } finally {
    await scripted.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const FIXTURES: [string, () => Rule[]][] = [
  ["tiny (4 files)", tinyRules],
  ["10 files", () => manyFileRules(10).rules],
];
const rows: string[] = [];
for (const cli of clis) {
  const name = cli.replace(`${resolve(import.meta.dirname, "..")}/`, "");
  rows.push(`| ${name} | --help | ${seconds(median(Array.from({ length: runs }, () => timed(cli, ["--help"]))))} | | |`);
  for (const [fixture, rules] of FIXTURES) {
    const measure = async (extra: string[]) => {
      const results = [];
      for (let i = 0; i < runs; i++) results.push(await runOnce(cli, rules, extra));
      return { ms: median(results.map((r) => r.ms)), calls: results[0]!.calls };
    };
    const withReport = await measure([]);
    const withoutReport = await measure(["--no-report"]);
    rows.push(`| ${name} | run, ${fixture} | ${seconds(withReport.ms)} | ${seconds(withoutReport.ms)} | ${withReport.calls} |`);
  }
}
console.log(`## paper2code's own overhead (median of ${runs}; zero-latency scripted model)

| CLI | command | wall-clock | with --no-report | model calls |
| --- | --- | --- | --- | --- |
${rows.join("\n")}
`);
