/**
 * Speed and cost of a run, against the scripted server with simulated latency
 * (time to first token + time per output token) and prefix caching, on a
 * 20-file fixture with a realistic dependency graph. Prints each figure the
 * README reports, as a ratio measured in this run.
 *   npm run build && npx tsx bench/speed.ts [--files 20] [--first-token-ms 400] [--per-token-ms 2]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { costOf } from "../src/llm/prices.js";
import type { UsageTotals } from "../src/llm/usage.js";
import { criticalPathLength, manyFileRules, manyModules } from "../test/fixtures/many-files.js";
import { runArgs, runCli } from "../test/support/cli.js";
import { TINY_PAPER } from "../test/support/node-state.js";
import { startScriptedServer, type LoggedRequest } from "../test/support/scripted-server.js";

const { values } = parseArgs({
  options: {
    files: { type: "string", default: "20" },
    "first-token-ms": { type: "string", default: "400" },
    "per-token-ms": { type: "string", default: "2" },
    paper: { type: "string" },
  },
});
const files = Number(values.files);
const latency = { firstTokenMs: Number(values["first-token-ms"]), perTokenMs: Number(values["per-token-ms"]) };
// A model with a published cached-input price, served here by the scripted server.
const MODEL = "openai:gpt-4.1-mini";

/** A paper of realistic length (about 10,000 tokens): the tiny XOR paper with related-work style sections appended. */
function syntheticPaper(dir: string): string {
  const filler = Array.from(
    { length: 40 },
    (_, i) =>
      `## Discussion ${i + 1}\n\n${"The two-layer perceptron with a tanh hidden layer reaches zero error on XOR in every seed we tried; the learning rate of 0.5 and 5000 steps of full-batch gradient descent were chosen on a held-out seed. ".repeat(5)}`,
  ).join("\n\n");
  const path = join(dir, "paper.md");
  // Before the references: what follows them is appendix, which agents do not read by default.
  writeFileSync(path, readFileSync(TINY_PAPER, "utf8").replace("## References", `${filler}\n\n## References`));
  return path;
}

interface Measured {
  wallMs: number;
  requests: LoggedRequest[];
  report: {
    usage: { byAgent: Record<string, UsageTotals>; byModel: Record<string, UsageTotals>; total: UsageTotals };
    resources?: { maxRssKiB: number; nodes: number };
  };
}

async function measure(flags: string[], withLatency: boolean): Promise<Measured> {
  const { rules } = manyFileRules(files, { codeLines: 120 });
  const server = await startScriptedServer(rules, { latency: withLatency ? latency : undefined, prefixCache: true });
  const dir = mkdtempSync(join(tmpdir(), "p2c-speed-"));
  try {
    const started = Date.now();
    const result = await runCli(
      [...runArgs(paper, MODEL, server.baseUrl, join(dir, "out"), join(dir, "c.sqlite")), "-q", "--concurrency", "8", ...flags],
      { env: { OPENAI_API_KEY: "sk-bench-not-a-key" } },
    );
    const wallMs = Date.now() - started;
    if (result.code !== 0) throw new Error(`run ${flags.join(" ")} failed: ${result.stderr}`);
    return { wallMs, requests: [...server.requests], report: JSON.parse(readFileSync(join(dir, "out", "run.json"), "utf8")) };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const callMs = (r: LoggedRequest) => latency.firstTokenMs + r.completionTokens * latency.perTokenMs;

/**
 * The lower bound on wall-clock time from the same latencies: the longest chain
 * of calls that must follow one another. Planning: planner and its verifier, then the
 * longer of the architecture+logic branch and the config branch; then the slowest
 * analysis (all run at once); then the longest dependency chain of coder calls.
 */
function criticalPathMs(requests: LoggedRequest[]): number {
  const ms = (rule: string) => Math.max(0, ...requests.filter((r) => r.rule === rule).map(callMs));
  const verifier = (task: RegExp) => Math.max(0, ...requests.filter((r) => r.rule === "verifier" && task.test(r.task)).map(callMs));
  const planning =
    ms("planner") +
    verifier(/verify the reproduction plan/) +
    Math.max(
      ms("architect") + verifier(/verify the architecture/) + ms("logic_designer") + verifier(/verify the logic design/),
      ms("config_writer") + verifier(/verify config\.yaml/),
    );
  const analysis = Math.max(...requests.filter((r) => r.rule?.startsWith("analyst:")).map(callMs));
  const finish = new Map<string, number>();
  for (const m of manyModules(files)) {
    const start = Math.max(0, ...m.dependsOn.map((d) => finish.get(d) ?? 0));
    finish.set(m.path, start + ms(`coder:${m.path}`));
  }
  return planning + analysis + Math.max(...finish.values());
}

const paperDir = mkdtempSync(join(tmpdir(), "p2c-speed-paper-"));
const paper = values.paper ?? syntheticPaper(paperDir);

const ratio = (a: number, b: number) => (a / b).toFixed(2);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.error(
  `${files} files, critical path ${criticalPathLength(manyModules(files))} files long; latency ${latency.firstTokenMs} ms + ${latency.perTokenMs} ms/token`,
);
const parallel = await measure([], true);
console.error(`parallel: ${seconds(parallel.wallMs)}`);
const sequential = await measure(["--schedule", "sequential", "--context", "full"], true);
console.error(`sequential, full context: ${seconds(sequential.wallMs)}`);
const zero = await measure([], false);
console.error(`zero latency: ${seconds(zero.wallMs)}`);

const lowerBound = criticalPathMs(parallel.requests);
const coderIn = (m: Measured) => m.report.usage.byAgent.coder!.inputTokens;
const cost = (m: Measured, cached: boolean) =>
  Object.entries(m.report.usage.byModel).reduce(
    (sum, [model, usage]) => sum + costOf(model, cached ? usage : { ...usage, cachedInputTokens: 0 })!,
    0,
  );
const nodes = zero.report.resources?.nodes ?? 0;

console.log(`| measure | value |
| --- | --- |
| wall-clock, parallel vs --schedule sequential --context full | ${seconds(parallel.wallMs)} vs ${seconds(sequential.wallMs)}: ${ratio(parallel.wallMs, sequential.wallMs)} |
| wall-clock vs critical-path lower bound (same latencies) | ${seconds(parallel.wallMs)} vs ${seconds(lowerBound)}: ${ratio(parallel.wallMs, lowerBound)} |
| coder input tokens, scoped vs --context full | ${coderIn(parallel).toLocaleString("en")} vs ${coderIn(sequential).toLocaleString("en")}: ${ratio(coderIn(parallel), coderIn(sequential))} |
| cost (${MODEL} prices), with prefix caching vs without | $${cost(parallel, true).toFixed(4)} vs $${cost(parallel, false).toFixed(4)}: ${ratio(cost(parallel, true), cost(parallel, false))} |
| zero-latency model: whole run, model calls, graph steps | ${seconds(zero.wallMs)}, ${zero.requests.length} calls, ${nodes} node runs |
| framework overhead per node run (zero-latency wall-clock / node runs, CLI start included) | ${nodes ? (zero.wallMs / nodes).toFixed(1) : "?"} ms |
| peak memory of the CLI process (zero latency) | ${zero.report.resources ? `${(zero.report.resources.maxRssKiB / 1024).toFixed(0)} MiB` : "?"} |`);
rmSync(paperDir, { recursive: true, force: true });
