/**
 * What a PaperBench Code-Dev grading costs in judge tokens, and how long the
 * eval graph's own work takes, on the shared PaperBench papers (../shared/paperbench):
 * the built CLI against the scripted judge (real client, real sockets, OpenAI-style
 * prefix caching simulated; the judge is served as openai:gpt-4.1, whose system
 * message the simulation sees, and the tokens are priced for o3-mini too), with simulated latency. The replies are prepared: this
 * measures tokens, calls and overhead, never a judge's quality.
 *   npm run build && npx tsx bench/eval-rubric.ts [--submission <folder>] [--concurrency 4] [--first-token-ms 400] [--per-token-ms 2]
 * The default submission is this repository's src/ (about 100 files of code): a stand-in
 * of realistic size, since no generated repository of these papers is shipped.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { costOf } from "../src/llm/prices.js";
import { runCli } from "../test/support/cli.js";
import { startScriptedServer, taskIs } from "../test/support/scripted-server.js";

const { values } = parseArgs({
  options: {
    submission: { type: "string", default: join(import.meta.dirname, "..", "src") },
    concurrency: { type: "string", default: "4" },
    "first-token-ms": { type: "string", default: "400" },
    "per-token-ms": { type: "string", default: "2" },
  },
});
const shared = join(import.meta.dirname, "..", "..", "shared", "paperbench");
if (!existsSync(shared)) {
  console.error(`no ${shared}: this bench needs the shared PaperBench papers`);
  process.exit(2);
}
const reply = (req: { task: string }) => {
  const id = /\*\*Requirement (\S+)\*\*/.exec(req.task)?.[1] ?? "";
  // A fixed pseudo-verdict per leaf (about a third met): the bench measures tokens, not grades.
  const score = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 3 === 0 ? 1 : 0;
  return JSON.stringify({
    explanation: `The requirement ${id} is ${score ? "met in the code shown" : "not found in the files shown"}; the relevant function is named in a real judgment, and the reason takes a few sentences like this one.`,
    score,
  });
};
const server = await startScriptedServer([{ name: "leaf", match: taskIs("grade one rubric requirement"), reply }], {
  prefixCache: true,
  latency: { firstTokenMs: Number(values["first-token-ms"]), perTokenMs: Number(values["per-token-ms"]) },
});
const dir = mkdtempSync(join(tmpdir(), "p2c-bench-eval-"));
const rows: string[] = [];
try {
  for (const name of ["mechanistic-understanding", "stochastic-interpolants", "robust-clip"]) {
    const first = server.requests.length;
    const started = Date.now();
    const result = await runCli(
      [
        "eval",
        values.submission!,
        "--paper",
        join(shared, name, "paper.md"),
        "--rubric",
        join(shared, name, "rubric.json"),
        "--code-dev",
        "--judge-model",
        "openai:gpt-4.1",
        "--judge-base-url",
        server.baseUrl,
        "--concurrency",
        values.concurrency!,
        "--checkpointer",
        join(dir, "cp.sqlite"),
        "--out",
        join(dir, name),
        "-q",
      ],
      { env: { OPENAI_API_KEY: "sk-bench" } },
    );
    const wallMs = Date.now() - started;
    if (result.code !== 0) throw new Error(`${name}: exit ${result.code}: ${result.stderr}`);
    const report = JSON.parse(readFileSync(join(dir, name, "eval.json"), "utf8"));
    const requests = server.requests.slice(first);
    const input = requests.reduce((s, r) => s + r.promptTokens, 0);
    const cached = requests.reduce((s, r) => s + (r.cachedTokens ?? 0), 0);
    const output = requests.reduce((s, r) => s + r.completionTokens, 0);
    const shown = report.rubric.judgments.map((j: { files: { tokens: number }[] }) => j.files.reduce((s, f) => s + f.tokens, 0));
    const usage = (model: string, withCache: boolean) =>
      costOf(model, {
        calls: requests.length,
        inputTokens: input,
        cachedInputTokens: withCache ? cached : 0,
        outputTokens: output,
        reasoningTokens: 0,
      })!;
    const modelLatency = requests.reduce(
      (sum, r) => sum + Number(values["first-token-ms"]) + r.completionTokens * Number(values["per-token-ms"]),
      0,
    );
    rows.push(
      [
        name.padEnd(26),
        String(report.rubric.leaves).padStart(6),
        String(requests.length).padStart(6),
        report.paper.tokens.toLocaleString("en").padStart(8),
        Math.round(shown.reduce((a: number, b: number) => a + b, 0) / shown.length)
          .toLocaleString("en")
          .padStart(10),
        input.toLocaleString("en").padStart(11),
        `${((100 * cached) / input).toFixed(0)}%`.padStart(7),
        `$${usage("openai:o3-mini", true).toFixed(2)} / $${usage("openai:o3-mini", false).toFixed(2)}`.padStart(16),
        `$${usage("openai:gpt-4.1", true).toFixed(2)}`.padStart(9),
        `${(wallMs / 1000).toFixed(1)} s`.padStart(8),
        `${(modelLatency / 1000 / Number(values.concurrency)).toFixed(1)} s`.padStart(9),
        `${report.rubric.score.toFixed(1)}%`.padStart(7),
      ].join(" "),
    );
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `submission: ${values.submission}; concurrency ${values.concurrency}; replies scripted (output tokens are the script's, about 60 per leaf)`,
);
console.log(
  "paper                       leaves  calls  paper tk  code/leaf  input tokens  cached  o3-mini cached/not  gpt-4.1  wall     latency/c  score",
);
for (const row of rows) console.log(row);
console.log(
  "cost: input and cached tokens as measured, priced with the built-in table; a real judge writes longer explanations (and o3-mini reasoning tokens), so output cost is a floor.",
);
console.log(
  "latency/c: the simulated latency of all calls (first token and output) divided by the concurrency, the floor for wall time; wall minus that is paper2code's own overhead plus the start-up of the CLI.",
);
