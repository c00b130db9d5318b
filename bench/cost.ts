/**
 * What a realistic run costs and how long it waits, measured in one go against
 * the scripted server (prefix caching simulated as OpenAI bills it): the
 * realistic 27-file fixture (test/fixtures/realistic-run.ts) run by this
 * checkout and by a baseline commit built beside it (default: the last commit
 * before the cost work), then by this checkout with simulated latency, in
 * parallel and with --schedule sequential. Prints calls per stage, input tokens,
 * the share of prompt tokens in a prefix an earlier request began with, costs at
 * gpt-4.1 prices, and wall-clock against the critical-path bound of the calls made.
 *   npm run build && npx tsx bench/cost.ts [--baseline <commit>] [--scale 40] [--no-latency]
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { costOf } from "../src/llm/prices.js";
import { countTokens } from "../src/tokens.js";
import { REALISTIC_FILES, realisticRules, realisticSizes, writeRealisticPaper } from "../test/fixtures/realistic-run.js";
import { CLI, runArgs } from "../test/support/cli.js";
import { startScriptedServer, type LoggedRequest } from "../test/support/scripted-server.js";

const { values } = parseArgs({
  options: {
    baseline: { type: "string", default: "0bf092f" },
    scale: { type: "string", default: "40" },
    "no-latency": { type: "boolean", default: false },
    "latency-only": { type: "boolean", default: false },
  },
});
const ROOT = resolve(import.meta.dirname, "..");
const MODEL = "openai:gpt-4.1";
// 15 s to the first token and 60 tokens a second, sped up `scale` times so the bench takes minutes, not hours.
const scale = Number(values.scale);
const latency = { firstTokenMs: 15_000 / scale, perTokenMs: 1000 / 60 / scale };

/** The baseline commit's CLI, built once in .bench-cache/ beside this checkout (its node_modules shared). */
function baselineCli(commit: string): string {
  const dir = join(ROOT, ".bench-cache", `baseline-${commit}`);
  const cli = join(dir, "dist", "src", "cli", "main.js");
  if (existsSync(cli)) return cli;
  mkdirSync(join(ROOT, ".bench-cache"), { recursive: true });
  if (!existsSync(dir)) {
    const added = spawnSync("git", ["worktree", "add", "--detach", dir, commit], { cwd: ROOT, stdio: "inherit" });
    if (added.status !== 0) throw new Error(`git worktree add ${commit} failed`);
  }
  if (!existsSync(join(dir, "node_modules"))) symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  console.error(`building the baseline ${commit} in ${dir} ...`);
  const built = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
    cwd: dir,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("the baseline did not build");
  return cli;
}

interface Measured {
  wallMs: number;
  requests: LoggedRequest[];
}

function runCliAt(cli: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { ...process.env, OPENAI_API_KEY: "sk-bench-not-a-key", PAPER2CODE_MODEL: "" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, stderr }));
  });
}

async function measure(cli: string, flags: string[], withLatency: boolean): Promise<Measured> {
  const server = await startScriptedServer(realisticRules(), { latency: withLatency ? latency : undefined, prefixCache: true });
  const dir = mkdtempSync(join(tmpdir(), "p2c-cost-"));
  try {
    const started = Date.now();
    const result = await runCliAt(cli, [
      ...runArgs(paper, MODEL, server.baseUrl, join(dir, "out"), join(dir, "c.sqlite")),
      "-q",
      "--concurrency",
      "8",
      ...flags,
    ]);
    const wallMs = Date.now() - started;
    if (result.code !== 0) throw new Error(`${cli} run ${flags.join(" ")} failed: ${result.stderr}`);
    return { wallMs, requests: [...server.requests] };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stageOf = (rule: string) => (/^(analyst)/.test(rule) ? "analysis" : /^(coder|repair)/.test(rule) ? "coding" : "planning");

function totals(m: Measured) {
  const byStage: Record<string, { calls: number; input: number; cached: number; output: number }> = {};
  for (const r of m.requests) {
    const s = (byStage[stageOf(r.rule ?? "")] ??= { calls: 0, input: 0, cached: 0, output: 0 });
    s.calls++;
    s.input += r.promptTokens;
    s.cached += r.cachedTokens ?? 0;
    s.output += r.completionTokens;
  }
  const all = Object.values(byStage).reduce(
    (a, b) => ({ calls: a.calls + b.calls, input: a.input + b.input, cached: a.cached + b.cached, output: a.output + b.output }),
    { calls: 0, input: 0, cached: 0, output: 0 },
  );
  return { byStage, all };
}

const usd = (t: { input: number; cached: number; output: number }, cached: boolean) =>
  costOf(MODEL, { calls: 0, inputTokens: t.input, cachedInputTokens: cached ? t.cached : 0, outputTokens: t.output, reasoningTokens: 0 })!;

const callMs = (r: LoggedRequest) => latency.firstTokenMs + r.completionTokens * latency.perTokenMs;

/**
 * The lower bound on wall-clock time from the calls actually made, under the same latencies:
 * the planning chains (plan, then architecture and logic design beside config.yaml, each with its
 * verification and refinement), then for each file its analysis and its coder, which starts when its
 * analysis is done and the files it imports are written.
 */
function criticalPathMs(requests: LoggedRequest[]): number {
  const sum = (match: (r: LoggedRequest) => boolean) => requests.filter(match).reduce((n, r) => n + callMs(r), 0);
  const verifies = (what: RegExp) => (r: LoggedRequest) => r.rule === "verifier" && what.test(r.task);
  const refines = (what: string) => (r: LoggedRequest) => r.rule === `refine:${what}`;
  const plan = sum((r) => r.rule === "planner") + sum(verifies(/# Task: verify the reproduction plan/)) + sum(refines("plan"));
  const logicBranch =
    sum((r) => r.rule === "architect") +
    sum(verifies(/# Task: verify the architecture/)) +
    sum(refines("architecture")) +
    sum((r) => r.rule === "logic_designer") +
    sum(verifies(/# Task: verify the logic design/)) +
    sum(refines("logic"));
  const configBranch = sum((r) => r.rule === "config_writer") + sum(verifies(/# Task: verify config\.yaml/)) + sum(refines("config"));
  const planning = plan + Math.max(logicBranch, configBranch);
  const finish = new Map<string, number>();
  const files = [...REALISTIC_FILES, { path: "reproduce.sh", dependsOn: ["main.py"], kind: "code" as const }];
  for (const f of files) {
    const analysed = planning + sum((r) => r.rule === `analyst:${f.path}`);
    const start = Math.max(analysed, ...f.dependsOn.map((d) => finish.get(d) ?? planning));
    finish.set(f.path, start + sum((r) => r.rule === `coder:${f.path}`));
  }
  if (process.env.PAPER2CODE_BENCH_DEBUG)
    console.error(
      `bound: planning ${planning.toFixed(0)} ms (plan ${plan.toFixed(0)}, logic branch ${logicBranch.toFixed(0)}, config branch ${configBranch.toFixed(0)}); files ${JSON.stringify([...finish].map(([p, t]) => [p, Math.round(t)]))}`,
    );
  return Math.max(...finish.values());
}

const paperDir = mkdtempSync(join(tmpdir(), "p2c-cost-paper-"));
const paper = writeRealisticPaper(join(paperDir, "paper.md"));
const n = (v: number) => v.toLocaleString("en");
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

console.error(`fixture sizes (tokens): ${JSON.stringify(realisticSizes())}`);
if (!values["latency-only"]) await zeroLatency();

async function zeroLatency() {
  // The baseline left the appendix out unless asked: ask, so that both read the same paper.
  const baseline = await measure(baselineCli(values.baseline!), ["--include-appendix"], false);
  const current = await measure(CLI, [], false);
  const before = totals(baseline);
  const after = totals(current);
  // An analysis is a reply: the first prompt it is in, its coder's, cannot have it cached.
  const analysesRead = current.requests
    .filter((r) => r.rule?.startsWith("coder:"))
    .reduce((sum, r) => sum + countTokens(r.task.split(/\n(?=# Analysis of `)/)[1]?.split(/\n(?=# (?!Analysis of `))/)[0] ?? ""), 0);
  const perfect = { ...after.all, cached: after.all.input };
  const nearPerfect = { ...after.all, cached: after.all.input - analysesRead };

  const rows = ["planning", "analysis", "coding"].map((stage) => {
    const b = before.byStage[stage] ?? { calls: 0, input: 0, cached: 0, output: 0 };
    const a = after.byStage[stage] ?? { calls: 0, input: 0, cached: 0, output: 0 };
    return `| ${stage} | ${b.calls} | ${a.calls} | ${n(b.input)} | ${n(a.input)} | ${n(a.cached)} | ${n(b.output)} | ${n(a.output)} | $${usd(a, true).toFixed(2)} |`;
  });
  console.log(`## Realistic 27-file fixture, zero latency (baseline ${values.baseline} vs this checkout)

| stage | calls before | calls now | input before | input now | of it cached now | output before | output now | cost now |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
| total | ${before.all.calls} | ${after.all.calls} | ${n(before.all.input)} | ${n(after.all.input)} | ${n(after.all.cached)} | ${n(before.all.output)} | ${n(after.all.output)} | $${usd(after.all, true).toFixed(2)} |

| measure | before | now | ratio |
| --- | --- | --- | --- |
| input tokens | ${n(before.all.input)} | ${n(after.all.input)} | ${ratio(after.all.input, before.all.input)} |
| share of prompt tokens in a prefix an earlier request began with | ${ratio(before.all.cached, before.all.input)} | ${ratio(after.all.cached, after.all.input)} | |
| cost at ${MODEL} prices: before uncached, now with caching priced | $${usd(before.all, false).toFixed(2)} | $${usd(after.all, true).toFixed(2)} | ${ratio(usd(after.all, true), usd(before.all, false))} |
| cost now without caching (for comparison) | | $${usd(after.all, false).toFixed(2)} | |
| floor for these calls and reply sizes: the output alone | | $${usd({ ...after.all, input: 0, cached: 0 }, true).toFixed(2)} | ${ratio(usd({ ...after.all, input: 0, cached: 0 }, true), usd(before.all, false))} |
| floor: every prompt token billed as cached (no cache reaches it: each call's own material is new) | | $${usd(perfect, true).toFixed(2)} | ${ratio(usd(perfect, true), usd(before.all, false))} |
| floor: every prompt token cached but the analyses the coders read (${n(analysesRead)} tokens, each new to any cache) | | $${usd(nearPerfect, true).toFixed(2)} | ${ratio(usd(nearPerfect, true), usd(before.all, false))} |
| zero-latency wall-clock, whole run | ${seconds(baseline.wallMs)} | ${seconds(current.wallMs)} | |
`);
}

if (!values["no-latency"]) {
  const parallel = await measure(CLI, [], true);
  const sequential = await measure(CLI, ["--schedule", "sequential"], true);
  const bound = criticalPathMs(parallel.requests);
  // What the calls take one after the other, overheads left out: no schedule's parallel/sequential ratio beats bound / this.
  const allCallsMs = parallel.requests.reduce((n, r) => n + callMs(r), 0);
  console.log(`## This checkout with simulated latency (15 s to the first token + 60 tokens/s, sped up ${scale}x; --concurrency 8)

| measure | value |
| --- | --- |
| wall-clock, parallel | ${seconds(parallel.wallMs)} |
| critical-path bound of the calls made | ${seconds(bound)} |
| wall-clock / bound | ${ratio(parallel.wallMs, bound)} |
| wall-clock, --schedule sequential | ${seconds(sequential.wallMs)} |
| parallel / sequential | ${ratio(parallel.wallMs, sequential.wallMs)} |
| all calls one after the other, overheads left out | ${seconds(allCallsMs)} |
| best parallel / sequential any schedule of these calls reaches (bound / that) | ${ratio(bound, allCallsMs)} |
`);
}
rmSync(paperDir, { recursive: true, force: true });
