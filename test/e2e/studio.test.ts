import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeRules, SUBMISSION, TINY_RUBRIC, writeTree } from "../fixtures/judge-replies.js";
import { tinyRules, TINY_FILES } from "../fixtures/tiny-replies.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

const ROOT = join(import.meta.dirname, "..", "..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The LangGraph dev server (what `npm run studio` starts, and what Studio talks
 * to), driven through its REST API with the LangGraph SDK client: the graph is
 * found, its schemas render, a job runs to a review interrupt against the
 * scripted model and is resumed through the API to completion.
 */
describe("LangGraph dev server (Studio's API)", () => {
  let dev: ChildProcess;
  let server: ScriptedServer;
  let dir: string;
  let client: Client;
  let log = "";

  beforeAll(async () => {
    server = await startScriptedServer([...tinyRules(), ...judgeRules()]);
    dir = await mkdtemp(join(tmpdir(), "p2c-studio-"));
    const port = await freePort();
    dev = spawn("npm", ["run", "studio", "--silent"], {
      cwd: ROOT,
      env: { ...process.env, PAPER2CODE_STUDIO_PORT: String(port), OPENAI_API_KEY: "", PAPER2CODE_MODEL: "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so the whole tree stops afterwards
    });
    dev.stdout!.on("data", (d) => (log += d));
    dev.stderr!.on("data", (d) => (log += d));
    const apiUrl = `http://127.0.0.1:${port}`;
    client = new Client({ apiUrl });
    for (let waited = 0; ; waited += 500) {
      if (dev.exitCode !== null) throw new Error(`the dev server exited: ${log}`);
      if (waited > 150_000) throw new Error(`the dev server did not start in 150 s: ${log}`);
      const ok = await fetch(`${apiUrl}/ok`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 180_000);

  afterAll(async () => {
    if (dev?.pid) {
      try {
        process.kill(-dev.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds the graph and serves its input and configurable schemas", async () => {
    const [assistant] = await client.assistants.search({ graphId: "paper2code" });
    expect(assistant, log).toBeDefined();
    const schemas = await client.assistants.getSchemas(assistant!.assistant_id);
    const input = schemas.input_schema as { properties: Record<string, unknown> };
    expect(Object.keys(input.properties)).toEqual(expect.arrayContaining(["paperPath", "paperText", "outDir"]));
    const config = schemas.config_schema as { properties: Record<string, { description?: string }> };
    expect(Object.keys(config.properties)).toEqual(
      expect.arrayContaining(["model", "baseUrl", "concurrency", "review", "refinePlan", "callJournal"]),
    );
    expect(config.properties.review!.description).toContain("approve or edit");
  }, 60_000);

  it("runs a job to a review interrupt, then resumes it through the API to a complete repository", async () => {
    const [assistant] = await client.assistants.search({ graphId: "paper2code" });
    const thread = await client.threads.create();
    const outDir = join(dir, "studio-run");
    const config = {
      configurable: {
        model: "compat:scripted",
        baseUrl: server.baseUrl,
        review: "config",
        refinePlan: 0,
        refineArchitecture: 0,
        refineLogic: 0,
        refineConfig: 0,
      },
    };
    await client.runs.wait(thread.thread_id, assistant!.assistant_id, { input: { paperPath: TINY_PAPER, outDir }, config });
    const paused = await client.threads.getState(thread.thread_id);
    const interrupts = paused.tasks.flatMap((t) => t.interrupts);
    expect(
      interrupts.map((i) => (i.value as { stage: string }).stage),
      log,
    ).toEqual(["config"]);
    expect((interrupts[0]!.value as { current: string }).current).toContain("learning_rate: 0.5");
    expect(server.requests.filter((r) => r.rule?.startsWith("coder:"))).toEqual([]);

    const edited = (interrupts[0]!.value as { current: string }).current.replace("steps: 5000", "steps: 777");
    const final = (await client.runs.wait(thread.thread_id, assistant!.assistant_id, {
      command: { resume: { action: "edit", value: edited } },
      config,
    })) as { status?: string; code?: Record<string, unknown>; calls?: { inputTokens: number; outputTokens: number }[] };
    expect(final.status, log).toBe("complete");
    expect(Object.keys(final.code ?? {}).sort()).toEqual([...TINY_FILES].sort());
    expect(await readFile(join(outDir, "repo", "config.yaml"), "utf8")).toContain("steps: 777");
    // A run under the LangGraph server writes its report.html too (the graph's finalize node does).
    expect(await readFile(join(outDir, "report.html"), "utf8")).toContain('data-path="train.py"');
    const coders = server.requests.filter((r) => r.rule?.startsWith("coder:"));
    expect(coders).toHaveLength(TINY_FILES.length);
    for (const request of coders) expect(request.system).toContain("steps: 777");
    // The dev server streams model replies; the usage of every call still arrives (stream_options.include_usage).
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(final.calls).toHaveLength(server.requests.length);
    expect(sum(final.calls!.map((c) => c.inputTokens))).toBe(sum(server.requests.map((r) => r.promptTokens)));
    expect(sum(final.calls!.map((c) => c.outputTokens))).toBe(sum(server.requests.map((r) => r.completionTokens)));
  }, 120_000);

  it("serves the evaluation graph too, and runs a rubric evaluation through the API", async () => {
    const [assistant] = await client.assistants.search({ graphId: "eval" });
    expect(assistant, log).toBeDefined();
    const schemas = await client.assistants.getSchemas(assistant!.assistant_id);
    expect(Object.keys((schemas.input_schema as { properties: object }).properties)).toEqual(
      expect.arrayContaining(["repoPath", "paperPath", "rubricPath", "referencePath", "outDir"]),
    );
    const config = schemas.config_schema as { properties: Record<string, { description?: string }> };
    expect(Object.keys(config.properties)).toEqual(
      expect.arrayContaining(["judgeModel", "judgeBaseUrl", "samples", "codeDev", "leafTokenBudget"]),
    );
    expect(config.properties.judgeModel!.description).toContain("judge");

    const repo = writeTree(join(dir, "eval-repo"), SUBMISSION);
    const rubricPath = join(dir, "rubric.json");
    await writeFile(rubricPath, JSON.stringify(TINY_RUBRIC));
    const outDir = join(dir, "studio-eval");
    const thread = await client.threads.create();
    const final = (await client.runs.wait(thread.thread_id, assistant!.assistant_id, {
      input: { repoPath: repo, paperPath: TINY_PAPER, rubricPath, outDir },
      config: { configurable: { judgeModel: "compat:judge", judgeBaseUrl: server.baseUrl, codeDev: true } },
    })) as { leaves?: Record<string, { score: number }>; reportPath?: string };
    expect(Object.keys(final.leaves ?? {}).sort(), log).toEqual(["a1", "a2", "b1", "b2"]);
    expect(final.reportPath).toBe(join(outDir, "eval.md"));
    const report = JSON.parse(await readFile(join(outDir, "eval.json"), "utf8"));
    expect(report.rubric.score).toBeCloseTo(56.25, 10);
  }, 120_000);
});
