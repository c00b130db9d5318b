import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutDir, prepareOutDir } from "../../src/cli/run.js";
import { buildRunReport } from "../../src/run-report.js";
import type { CallRecord } from "../../src/llm/usage.js";
import { checkModelServer, serverOf } from "../../src/models/preflight.js";
import { parseModelSpec } from "../../src/models/settings.js";

describe("where the check before a run asks", () => {
  it.each([
    [{ model: "openai:gpt-4.1" }, {}, "https://api.openai.com/v1/models"],
    [{ model: "openai:gpt-4.1" }, { OPENAI_BASE_URL: "http://proxy:8080/v1/" }, "http://proxy:8080/v1/models"],
    [{ model: "ollama:qwen2.5-coder:14b" }, {}, "http://127.0.0.1:11434/v1/models"],
    [{ model: "vllm:m", baseUrl: "http://gpu:8000/v1" }, {}, "http://gpu:8000/v1/models"],
    [{ model: "anthropic:claude-sonnet-4-5" }, {}, "https://api.anthropic.com/v1/models"],
    [{ model: "openrouter:meta/llama" }, {}, "https://openrouter.ai/api/v1/models"],
  ])("%o -> its model listing", (settings, env, url) => {
    expect(serverOf(settings, env).url).toBe(url);
  });
  it("sends the key it would chat with", () => {
    expect(serverOf({ model: "openai:gpt-4.1" }, { OPENAI_API_KEY: "sk-1" }).headers).toEqual({ authorization: "Bearer sk-1" });
    expect(serverOf({ model: "anthropic:claude" }, { ANTHROPIC_API_KEY: "ak" }).headers).toMatchObject({ "x-api-key": "ak" });
  });
});

describe("checkModelServer", () => {
  let server: Server;
  let base: string;
  let answer: { status: number; body?: unknown } = { status: 200 };
  beforeAll(async () => {
    server = createServer((_, res) => {
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("passes a server that lists the model (an Ollama tag without :latest too)", async () => {
    answer = { status: 200, body: { data: [{ id: "qwen2.5-coder:14b" }, { id: "llama3:latest" }] } };
    await expect(checkModelServer({ model: "ollama:qwen2.5-coder:14b", baseUrl: base })).resolves.toBeUndefined();
    await expect(checkModelServer({ model: "ollama:llama3", baseUrl: base })).resolves.toBeUndefined();
  });
  it("refuses a local server that serves other models, naming them", async () => {
    answer = { status: 200, body: { data: [{ id: "llama3:latest" }] } };
    await expect(checkModelServer({ model: "ollama:qwen2.5-coder:14b", baseUrl: base })).rejects.toMatchObject({
      exitCode: 5,
      message: `the model server at ${base}/models does not serve qwen2.5-coder:14b (it serves llama3:latest): \`ollama pull qwen2.5-coder:14b\``,
    });
  });
  it("does not judge a hosted provider's listing (it may not list every model a key can use)", async () => {
    answer = { status: 200, body: { data: [{ id: "gpt-4o" }] } };
    await expect(checkModelServer({ model: "openai:gpt-4.1", baseUrl: base })).resolves.toBeUndefined();
  });
  it("refuses a key the server rejects (401), and passes a key that may not list models (403) or a server with no listing (404)", async () => {
    answer = { status: 401, body: { error: { message: "Incorrect API key" } } };
    await expect(checkModelServer({ model: "openai:gpt-4.1", baseUrl: base })).rejects.toMatchObject({
      exitCode: 5,
      message: `the model server at ${base}/models refused the key (401): is OPENAI_API_KEY set to a valid key?`,
    });
    for (const status of [403, 404]) {
      answer = { status };
      await expect(checkModelServer({ model: "openai:gpt-4.1", baseUrl: base })).resolves.toBeUndefined();
    }
  });
});

describe("provider prefixes", () => {
  it.each(["opneai:gpt-4.1", "olama:qwen2.5-coder:14b", "antropic:claude-sonnet-4-5", "vlm:Qwen2.5-7B", "lmstudo:local-model"])(
    "refuses the misspelt %s",
    (spec) => {
      expect(() => parseModelSpec(spec)).toThrow(/unknown provider '\w+' \(did you mean '\w+'\? known: openai, compat, ollama/);
    },
  );
  // Bare Ollama names with a tag are models, not providers, however close to a provider's name.
  it.each(["llama3:8b", "llava:13b", "llama3.1:8b-instruct-q4_K_M", "qwen2.5:7b", "mistral:instruct", "llama:latest"])(
    "takes %s as a model name",
    (spec) => {
      expect(parseModelSpec(spec)).toEqual({ provider: "compat", name: spec });
    },
  );
});

describe("replayed calls in run.json", () => {
  const call = (replayed: boolean): CallRecord => ({
    agent: "coder",
    file: "model.py",
    model: "openai:gpt-4.1",
    inputTokens: 1_000_000,
    cachedInputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    durationMs: 1,
    ...(replayed ? { replayed } : {}),
  });
  it("are not money spent: counted apart, with what they cost when they were paid", () => {
    const report = buildRunReport({ calls: [call(false), call(true)] });
    expect(report.costUsd).toBeCloseTo(2); // gpt-4.1: $2 per million input tokens, once
    expect(report.replayed).toEqual({ calls: 1, costUsd: 2 });
    expect(report.cost.byStage.coding).toBeCloseTo(2);
  });
});

describe("an output folder a killed start left behind", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "p2c-outdir-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is taken again when it holds only the write probe of a start killed before its first checkpoint", () => {
    const out = join(dir, "killed");
    mkdirSync(out);
    writeFileSync(join(out, ".paper2code-write-test-4242"), "");
    expect(checkOutDir(out, false)).toBeUndefined();
    prepareOutDir(out);
    expect(readdirSync(out)).toEqual([]);
  });

  it("is refused when it holds a file of the user's besides the probe", () => {
    const out = join(dir, "theirs");
    mkdirSync(out);
    writeFileSync(join(out, ".paper2code-write-test-4242"), "");
    writeFileSync(join(out, "notes.txt"), "mine");
    expect(() => checkOutDir(out, false)).toThrow(/already holds files that paper2code did not write/);
  });
});
