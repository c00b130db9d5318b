import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TINY_ANALYSED, TINY_CODE, TINY_FILES, tinyRules } from "../fixtures/tiny-replies.js";
import { type CliResult, runArgs, runCli } from "../support/cli.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

const PAPER = join(import.meta.dirname, "..", "..", "examples", "xor-perceptron.md");

describe("paper2code run against a scripted OpenAI-compatible server", () => {
  let server: ScriptedServer;
  let dir: string;
  let result: CliResult;
  let out: string;

  beforeAll(async () => {
    server = await startScriptedServer(tinyRules());
    dir = await mkdtemp(join(tmpdir(), "p2c-e2e-"));
    out = join(dir, "out");
    result = await runCli([...runArgs(PAPER, "openai:scripted-model", server.baseUrl, out, join(dir, "checkpoints.sqlite")), "--json"]);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("exits 0 and prints a JSON summary", () => {
    expect(result.stderr).toMatch(/run [0-9a-f-]{36} -> /);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.status).toBe("complete");
    expect(summary.order).toEqual([...TINY_FILES]);
  });

  it("writes every file of the logic design, non-empty, with the coder's content", async () => {
    for (const path of TINY_FILES) {
      const text = await readFile(join(out, "repo", path), "utf8");
      expect(text).toBe(TINY_CODE[path]);
    }
    const config = parse(await readFile(join(out, "repo", "config.yaml"), "utf8"));
    expect(config.training.learning_rate).toBe(0.5);
    expect(await readFile(join(out, "repo", "requirements.txt"), "utf8")).toBe("numpy>=1.24\npyyaml\n");
    const readme = await readFile(join(out, "repo", "README.md"), "utf8");
    expect(readme).toContain("python main.py --config config.yaml");
  });

  it("writes the artifacts", async () => {
    for (const artifact of [
      "plan.md",
      "architecture.md",
      "logic.json",
      "config.yaml",
      "paper.md",
      ...TINY_ANALYSED.map((p) => `analysis/${p}.md`),
    ]) {
      expect((await stat(join(out, "artifacts", artifact))).size, artifact).toBeGreaterThan(0);
    }
    const architecture = await readFile(join(out, "artifacts", "architecture.md"), "utf8");
    expect(architecture).toContain("```mermaid\nclassDiagram");
    expect(architecture).toContain("```mermaid\nsequenceDiagram");
  });

  it("records token totals equal to what the server reported", async () => {
    const run = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
    const promptSum = server.requests.reduce((s, r) => s + r.promptTokens, 0);
    const completionSum = server.requests.reduce((s, r) => s + r.completionTokens, 0);
    expect(run.usage.total.inputTokens).toBe(promptSum);
    expect(run.usage.total.outputTokens).toBe(completionSum);
    expect(run.usage.total.calls).toBe(server.requests.length);
    const stageSum = Object.values(run.usage.byStage as Record<string, { inputTokens: number }>).reduce((s, u) => s + u.inputTokens, 0);
    expect(stageSum).toBe(promptSum);
    expect(run.threadId).toMatch(/[0-9a-f-]{36}/);
    expect(run.paper.title).toBe("Learning XOR with a Two-Layer Perceptron");
  });

  it("made each planning call once, one passing verification per planning stage, each file's analysis (support code has none) and coding once", () => {
    const counts = new Map<string, number>();
    for (const r of server.requests) counts.set(r.rule ?? "unmatched", (counts.get(r.rule ?? "unmatched") ?? 0) + 1);
    const expected = [
      "planner",
      "architect",
      "logic_designer",
      "config_writer",
      ...TINY_ANALYSED.map((p) => `analyst:${p}`),
      ...TINY_FILES.map((p) => `coder:${p}`),
    ];
    expect(Object.fromEntries(counts)).toEqual({ ...Object.fromEntries(expected.map((k) => [k, 1])), verifier: 4 });
  });
});
