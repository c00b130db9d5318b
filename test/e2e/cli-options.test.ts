import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, placeFlags, runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p2c-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("CLI errors: one line, own exit code, nothing written", () => {
  it("with no model configured it says how to configure one", async () => {
    const out = join(dir, "no-model");
    const r = await runCli(["run", TINY_PAPER, "--out", out], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("paper2code: no model configured");
    expect(r.stderr).toContain("--model openai:gpt-4.1");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await expect(readFile(join(out, "run.json"))).rejects.toThrow();
  });

  it("OpenAI without a key names the variable", async () => {
    const r = await runCli(["run", TINY_PAPER, "--model", "openai:gpt-4.1"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "paper2code: model openai:gpt-4.1 needs OPENAI_API_KEY in the environment (or --base-url for a local OpenAI-compatible server)",
    );
  });

  it("a missing paper", async () => {
    const r = await runCli(["run", join(dir, "nope.md"), "--model", "ollama:m"], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`paper2code: ${join(dir, "nope.md")}: no such file`);
  });

  it("a settings file with a typo", async () => {
    const config = join(dir, "bad.yaml");
    await writeFile(config, "modle: openai:gpt-4.1\n");
    const r = await runCli(["run", TINY_PAPER, "--config", config], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: unknown setting modle \(did you mean model\?\); known: model, baseUrl, /);
  });

  it("an output folder holding the user's files", async () => {
    const out = join(dir, "mine");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "notes.txt"), "my notes");
    const r = await runCli(["run", TINY_PAPER, "--model", "ollama:m", "--out", out], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--force");
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("my notes");
  });
});

describe("settings from a file, flags winning, native structured output", () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer(tinyRules());
  });
  afterAll(() => server.close());

  it("reads model and base URL from paper2code.yaml; --structured-output native sends a JSON schema", async () => {
    const work = await mkdtemp(join(dir, "settings-"));
    await writeFile(join(work, "paper2code.yaml"), `model: openai:from-file\nbaseUrl: ${server.baseUrl}\nconcurrency: 1\nout: generated\n`);
    const r = await runCli(
      ["run", TINY_PAPER, "--structured-output", "native", "--checkpointer", join(work, "cp.sqlite"), "--json", "-q"],
      { cwd: work },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.model).toBe(`openai:from-file @ ${server.baseUrl}`);
    expect(summary.outDir).toBe(join(work, "generated"));
    const planner = server.requests.find((q) => q.rule === "planner")!;
    expect(planner.responseFormat).toMatchObject({ type: "json_schema", json_schema: { name: "plan" } });
    const coder = server.requests.find((q) => q.rule === "coder:main.py")!;
    expect(coder.responseFormat).toBeUndefined();
  });

  it("falls back to JSON in text when the server ignores JSON-schema mode", async () => {
    const ignoring = await startScriptedServer(tinyRules(), { honourResponseFormat: false });
    try {
      const work = await mkdtemp(join(dir, "ignoring-"));
      const r = await runCli(
        [
          "run",
          TINY_PAPER,
          ...modelFlags("vllm:m", ignoring.baseUrl),
          "--structured-output",
          "native",
          ...placeFlags("o", join(work, "cp.sqlite")),
          "--json",
          "-q",
        ],
        { cwd: work },
      );
      expect(r.code, r.stderr).toBe(0);
      const summary = JSON.parse(r.stdout);
      expect(summary.notes.join("\n")).toContain("switched to JSON in text");
      // The planner's bare JSON parses either way; the architect's prose makes the client's JSON parse fail once.
      expect(ignoring.requests.filter((q) => q.rule === "planner")).toHaveLength(1);
      expect(ignoring.requests.filter((q) => q.rule === "architect")).toHaveLength(2);
      expect(ignoring.requests.filter((q) => q.rule === "logic_designer")[0]!.responseFormat).toBeUndefined();
    } finally {
      await ignoring.close();
    }
  });

  it("a flag overrides the file", async () => {
    const work = await mkdtemp(join(dir, "flags-"));
    await writeFile(join(work, "paper2code.yaml"), `model: openai:from-file\nbaseUrl: http://127.0.0.1:9/v1\n`);
    const r = await runCli([...runArgs(TINY_PAPER, "vllm:from-flag", server.baseUrl, "o", join(work, "cp.sqlite")), "--json", "-q"], {
      cwd: work,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).model).toBe(`vllm:from-flag @ ${server.baseUrl}`);
  });
});

describe("a run whose model never gives usable output", () => {
  it("fails with a one-line reason, the thread id, and a failed run.json", async () => {
    const rules = tinyRules().map((rule) => (rule.name === "coder:model.py" ? { ...rule, reply: "```python\n```" } : rule));
    const server = await startScriptedServer(rules);
    try {
      const out = join(dir, "failing");
      const r = await runCli([...runArgs(TINY_PAPER, "vllm:m", server.baseUrl, out, join(dir, "fail.sqlite"))]);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(
        /paper2code: run failed: coder: unusable reply after a re-ask: the reply for model\.py has an empty code block\n {2}details: .*run\.json\n {2}to retry from where it stopped: paper2code resume [0-9a-f-]{36} --checkpointer /,
      );
      const run = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
      expect(run.status).toBe("failed");
      expect(server.requests.filter((q) => q.rule === "coder:model.py")).toHaveLength(2);
      await expect(readFile(join(out, "repo", "model.py"))).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});

describe("--dry-run", () => {
  it("estimates tokens and cost per stage from the paper, with no key, no model call and nothing written", async () => {
    const home = join(dir, "dry-home");
    const r = await runCli(
      ["run", TINY_PAPER, "--model", "openai:gpt-4.1-mini", "--dry-run", "7", "--json", "--out", join(dir, "dry-out")],
      {
        cwd: dir,
        env: { PAPER2CODE_HOME: home },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const estimate = JSON.parse(r.stdout) as {
      files: number;
      stages: { stage: string; calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; costUsd: number }[];
      total: { calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; costUsd: number };
    };
    expect(estimate.files).toBe(7);
    expect(estimate.stages.map((s) => s.stage)).toEqual(["planning", "analysis", "coding"]);
    // Default verification: 4 planning agents and 4 verifiers; one analyst and one coder per file.
    expect(estimate.stages.map((s) => s.calls)).toEqual([8, 7, 7]);
    for (const key of ["calls", "inputTokens", "cachedInputTokens", "outputTokens"] as const) {
      expect(estimate.total[key]).toBe(estimate.stages.reduce((sum, s) => sum + s[key], 0));
    }
    const { inputTokens, cachedInputTokens, outputTokens } = estimate.total;
    expect(cachedInputTokens).toBeGreaterThan(0);
    // gpt-4.1-mini: $0.40 input, $0.10 cached input, $1.60 output per million tokens.
    expect(estimate.total.costUsd).toBeCloseTo(
      ((inputTokens - cachedInputTokens) * 0.4 + cachedInputTokens * 0.1 + outputTokens * 1.6) / 1e6,
      10,
    );
    await expect(readFile(join(dir, "dry-out", "run.json"))).rejects.toThrow();
    await expect(readFile(join(home, "checkpoints.sqlite"))).rejects.toThrow();
  });
});
