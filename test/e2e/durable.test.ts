import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { describe, expect, it } from "vitest";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import type { PaperToCodeState } from "../../src/state.js";
import { TINY_ANALYSED, TINY_FILES, tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, runArgs, runCli, startCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type BeforeReply, type ScriptedServer } from "../support/scripted-server.js";
import { withScriptedServer } from "../support/workspace.js";

/** Review pauses, resume with a decision, rewind and edit from the history, `runs`, and SIGINT at a step boundary. */
describe("durable runs", () => {
  let server: ScriptedServer;
  let hook: BeforeReply | undefined;
  let dir: string;
  let db: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, "--checkpointer", db], { env });
  const newRun = (out: string, ...extra: string[]) =>
    // openai:gpt-4.1-mini at a local base URL: a model with a known price, served by the scripted server.
    cli(["run", TINY_PAPER, ...modelFlags("openai:gpt-4.1-mini", server.baseUrl), "--out", join(dir, out), "--refine", "0", ...extra], {
      OPENAI_API_KEY: "sk-test-not-a-real-key",
    });
  const requestsSince = (start: number) => server.requests.slice(start);
  // What a coder was shown: the shared context (with config.yaml) and its task.
  const coderTasks = (start: number) =>
    requestsSince(start)
      .filter((r) => r.rule?.startsWith("coder:"))
      .map((r) => `${r.system}\n${r.task}`);
  const threadOf = (stderr: string) => /run ([0-9a-f-]{36}) -> /.exec(stderr)![1]!;
  const env = { OPENAI_API_KEY: "sk-test-not-a-real-key" };

  withScriptedServer(
    "p2c-durable-",
    () => startScriptedServer(tinyRules(), { beforeReply: (r, i) => (hook ? hook(r, i) : "answer") }),
    (s, d) => ((server = s), (dir = d), (db = join(d, "checkpoints.sqlite"))),
  );

  it("pauses for review, refuses to go on without a decision, and continues with an approval and an edit", async () => {
    const start = server.requests.length;
    const first = await newRun("review", "--review", "plan,config");
    expect(first.code, first.stderr).toBe(7);
    const id = threadOf(first.stderr);
    expect(first.stderr).toContain("paused for review of the plan");
    expect(first.stderr).toContain(`paper2code resume ${id} --approve`);
    // Nothing after the plan was asked for.
    expect(requestsSince(start).map((r) => r.rule)).toEqual(["planner"]);

    const listed = JSON.parse((await cli(["runs", "--json"])).stdout) as { id: string; status: string; stage: string }[];
    expect(listed.find((r) => r.id === id)).toMatchObject({ status: "awaiting review", stage: "plan" });

    const undecided = await cli(["resume", id.slice(0, 8)], env);
    expect(undecided.code).toBe(7);
    expect(undecided.stderr).toMatch(/waiting for a review of the plan: add --approve/);

    const approved = await cli(["resume", id.slice(0, 8), "--approve"], env);
    expect(approved.code, approved.stderr).toBe(7);
    expect(approved.stderr).toContain("paused for review of the config");
    expect(approved.stderr).toContain(`paper2code resume ${id} --set <key>=<value>`);
    expect(requestsSince(start).filter((r) => r.rule === "planner")).toHaveLength(1);

    const badKey = await cli(["resume", id, "--set", "training.no_such_key=1"], env);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain("config.yaml has no key 'training.no_such_key'");

    const edited = await cli(["resume", id, "--set", "training.steps=1234"], env);
    expect(edited.code, edited.stderr).toBe(0);
    const coders = coderTasks(start);
    expect(coders).toHaveLength(TINY_FILES.length);
    for (const task of coders) expect(task).toMatch(/steps: 1234\s+# Section 3/); // the edit kept the paper's comment
    const out = join(dir, "review");
    expect(readFileSync(join(out, "repo", "config.yaml"), "utf8")).toContain("steps: 1234");
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run.notes).toEqual(expect.arrayContaining(["plan approved by a reviewer", "config edited by a reviewer"]));
    // Each planning agent was asked exactly once over the three processes.
    for (const agent of ["planner", "architect", "logic_designer", "config_writer"]) {
      expect(
        requestsSince(start).filter((r) => r.rule === agent),
        agent,
      ).toHaveLength(1);
    }
  }, 120_000);

  it("rewinds after an edited config: the coder sees the new value, planning is not asked again, the old branch stays", async () => {
    const first = await newRun("rewind");
    expect(first.code, first.stderr).toBe(0);
    const id = threadOf(first.stderr);
    const start = server.requests.length;
    const rewound = await cli(["rewind", id, "--set", "training.learning_rate=0.125"], env);
    expect(rewound.code, rewound.stderr).toBe(0);
    const again = requestsSince(start);
    expect(again.filter((r) => ["planner", "architect", "logic_designer", "config_writer"].includes(r.rule ?? ""))).toEqual([]);
    expect(again.filter((r) => r.rule?.startsWith("analyst:"))).toHaveLength(TINY_ANALYSED.length);
    const coders = coderTasks(start);
    expect(coders).toHaveLength(TINY_FILES.length);
    for (const task of coders) expect(task).toContain("learning_rate: 0.125");
    expect(readFileSync(join(dir, "rewind", "repo", "config.yaml"), "utf8")).toContain("learning_rate: 0.125");

    // Both branches are in the history: the finished run with 0.5 and the rewound one with 0.125.
    const saver = SqliteSaver.fromConnString(db);
    try {
      const graph = compilePaperToCode(saver);
      const learningRates = new Set<string>();
      for await (const snapshot of graph.getStateHistory({ configurable: { thread_id: id } })) {
        const state = snapshot.values as PaperToCodeState;
        if (state.status === "complete") learningRates.add(/learning_rate: ([0-9.]+)/.exec(state.configYaml!.yaml)![1]!);
      }
      expect([...learningRates].sort()).toEqual(["0.125", "0.5"]);
    } finally {
      saver.db.close();
    }

    // Rewinding to coding asks the coder afresh (same questions, new answers) and nothing else.
    const before = server.requests.length;
    const recoded = await cli(["rewind", id, "--to", "coding"], env);
    expect(recoded.code, recoded.stderr).toBe(0);
    expect(
      requestsSince(before)
        .map((r) => r.rule)
        .sort(),
    ).toEqual(TINY_FILES.map((p) => `coder:${p}`).sort());
  }, 120_000);

  it("edits an artifact in $EDITOR and runs everything after it again", async () => {
    const first = await newRun("edit");
    expect(first.code, first.stderr).toBe(0);
    const id = threadOf(first.stderr);
    const start = server.requests.length;
    const edited = await cli(["edit", id, "config"], { ...env, EDITOR: "sed -i s/hidden_units:\\ 4/hidden_units:\\ 16/" });
    expect(edited.code, edited.stderr).toBe(0);
    for (const task of coderTasks(start)) expect(task).toContain("hidden_units: 16");
    expect(coderTasks(start)).toHaveLength(TINY_FILES.length);

    const unchanged = await cli(["edit", id, "config"], { ...env, EDITOR: "true" });
    expect(unchanged.stderr).toContain("no change to the config");
  }, 120_000);

  it("lists runs with status, stage, tokens and a cost computed from the price of the model", async () => {
    const result = await cli(["runs", "--json"]);
    expect(result.code).toBe(0);
    const runs = JSON.parse(result.stdout) as {
      id: string;
      status: string;
      inputTokens: number;
      outputTokens: number;
      cost: number;
      paper: string;
    }[];
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const run of runs) {
      expect(run.status).toBe("complete");
      expect(run.paper).toMatch(/XOR/);
      expect(run.inputTokens).toBeGreaterThan(0);
      // gpt-4.1-mini: $0.40 per million input tokens, $1.60 per million output tokens, nothing cached here.
      expect(run.cost).toBeCloseTo((run.inputTokens * 0.4 + run.outputTokens * 1.6) / 1e6, 10);
    }
    const report = JSON.parse(readFileSync(join(dir, "edit", "run.json"), "utf8"));
    const edited = runs.find((r) => r.id === report.threadId)!;
    expect(report.costUsd).toBeCloseTo(edited.cost, 10);
    const table = await cli(["runs"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+STATUS\s+STAGE\s+CALLS\s+TOKENS IN \/ OUT\s+COST\s+UPDATED\s+PAPER\s+FOLDER$/);
    expect(table.stdout).toMatch(
      new RegExp(`${runs[0]!.id.slice(0, 8)}\\s+complete\\s+done\\s+\\d+\\s+[\\d,]+ / [\\d,]+\\s+\\$\\d+\\.\\d\\d`),
    );

    const unknown = await cli(["resume", "ffffffff"], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("no run 'ffffffff'");
  }, 60_000);

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "stops at a step boundary on %s, prints the resume command, and resumes to the same result",
    async (signal) => {
      const start = server.requests.length;
      let sent = false;
      const { child, done } = startCli(
        [
          "run",
          TINY_PAPER,
          ...modelFlags("openai:gpt-4.1-mini", server.baseUrl),
          "--out",
          join(dir, signal),
          "--refine",
          "0",
          "--checkpointer",
          db,
        ],
        { env },
      );
      // Interrupt while the planner's reply is on its way: the planner's step must finish and be saved.
      hook = async (request) => {
        if (request.rule === "planner" && !sent) {
          sent = true;
          child.kill(signal);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        return "answer" as const;
      };
      const stopped = await done;
      hook = undefined;
      expect(stopped.code, stopped.stderr).toBe(130);
      const id = /paper2code resume ([0-9a-f-]{36})/.exec(stopped.stderr)?.[1];
      expect(id, stopped.stderr).toBeDefined();
      expect(stopped.stderr).toContain("stopping after the current step");
      expect(requestsSince(start).map((r) => r.rule)).toEqual(["planner"]);
      expect(stopped.stderr).toContain(`stopped by ${signal}`);
      const run = JSON.parse(readFileSync(join(dir, signal, "run.json"), "utf8"));
      expect(run.status).toBe("stopped");

      const resumed = await cli(["resume", id!], env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(requestsSince(start).filter((r) => r.rule === "planner")).toHaveLength(1);
      expect(requestsSince(start)).toHaveLength(4 + TINY_ANALYSED.length + TINY_FILES.length); // planning, then an analysis (not for support code) and a code call per file
    },
    120_000,
  );
});

describe("resuming a failed run", () => {
  it("retries only the failed file, asking again for the replies that were unusable", async () => {
    let broken = true;
    const rules = tinyRules().map((rule) => {
      if (rule.name !== "coder:model.py") return rule;
      const good = rule.reply as string;
      return { ...rule, reply: () => (broken ? "```python\n```" : good) };
    });
    const server = await startScriptedServer(rules);
    const dir = await mkdtemp(join(tmpdir(), "p2c-failed-"));
    try {
      const db = join(dir, "c.sqlite");
      const failed = await runCli([...runArgs(TINY_PAPER, "compat:m", server.baseUrl, join(dir, "out"), db), "--refine", "0"]);
      expect(failed.code).toBe(5);
      const id = /paper2code resume ([0-9a-f-]{36})/.exec(failed.stderr)![1]!;
      const listed = JSON.parse((await runCli(["runs", "--json", "--checkpointer", db])).stdout) as {
        status: string;
        stage: string;
        error?: string;
      }[];
      expect(listed[0]).toMatchObject({ status: "failed", stage: "coding" });
      expect(listed[0]!.error).toContain("model.py has an empty code block");
      const before = server.requests.length;
      broken = false;
      const resumed = await runCli(["resume", id, "--checkpointer", db]);
      expect(resumed.code, resumed.stderr).toBe(0);
      // model.py is asked again (its unusable replies were not kept); data.py, coded beside it, is never
      // answered twice (a reply received before the failure is replayed from the journal).
      const after = server.requests.slice(before).map((r) => r.rule);
      expect(after).toContain("coder:model.py");
      expect(server.requests.filter((r) => r.rule === "coder:data.py" && r.completed)).toHaveLength(1);
      for (const agent of ["planner", "architect", "logic_designer", "config_writer", "analyst:train.py"])
        expect(after).not.toContain(agent);
      expect(readFileSync(join(dir, "out", "repo", "model.py"), "utf8")).toContain("class TwoLayerPerceptron");
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("--budget", () => {
  it("stops before a call that would go over, within the budget, and resumes with a larger one without repeating a call", async () => {
    const server = await startScriptedServer(tinyRules());
    const dir = await mkdtemp(join(tmpdir(), "p2c-budget-"));
    try {
      const db = join(dir, "c.sqlite");
      const env = { OPENAI_API_KEY: "sk-test-not-a-real-key" };
      const out = join(dir, "out");
      const stopped = await runCli([...runArgs(TINY_PAPER, "openai:gpt-4.1-mini", server.baseUrl, out, db), "--budget", "0.012"], { env });
      expect(stopped.code, stopped.stderr).toBe(8);
      expect(stopped.stderr).toMatch(/budget of \$0\.01 reached: \$0\.0\d+ spent, the next call would cost about \$0\.0\d+/);
      expect(stopped.stderr).toMatch(/to continue with a larger budget: paper2code resume [0-9a-f-]{36} --checkpointer .* --budget <USD>/);
      const report = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
      expect(report.status).toBe("stopped: budget");
      expect(report.costUsd).toBeGreaterThan(0);
      expect(report.costUsd).toBeLessThanOrEqual(0.012);
      const made = server.requests.length;
      expect(made).toBeGreaterThan(0);
      expect(made).toBeLessThan(8 + TINY_ANALYSED.length + TINY_FILES.length);

      const id = /paper2code resume ([0-9a-f-]{36})/.exec(stopped.stderr)![1]!;
      const listed = JSON.parse((await runCli(["runs", "--json", "--checkpointer", db])).stdout) as { status: string }[];
      expect(listed[0]!.status).toBe("stopped");
      const resumed = await runCli(["resume", id, "--checkpointer", db, "--budget", "1"], { env });
      expect(resumed.code, resumed.stderr).toBe(0);
      const done = server.requests.filter((r) => r.completed).map((r) => r.key);
      expect(
        new Set(done).size,
        JSON.stringify(server.requests.filter((r) => r.completed).map((r) => [r.rule, r.key.slice(0, 8), r.isRepair])),
      ).toBe(done.length);
      expect(done).toHaveLength(8 + TINY_ANALYSED.length + TINY_FILES.length); // planning and its verifiers, then an analysis (not for support code) and a code call per file
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("rate limits from the provider", () => {
  it("waits as long as Retry-After says on a 429, retries a 429 without it, and a 503", async () => {
    const faults = new Map<string, { status: number; headers?: Record<string, string> }[]>([
      ["planner", [{ status: 429, headers: { "retry-after": "2" } }]],
      ["architect", [{ status: 429 }]],
      ["config_writer", [{ status: 503 }]],
    ]);
    const server = await startScriptedServer(tinyRules(), {
      beforeReply: (request) => faults.get(request.rule ?? "")?.shift() ?? "answer",
    });
    const dir = await mkdtemp(join(tmpdir(), "p2c-429-"));
    try {
      const result = await runCli([
        ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, join(dir, "out"), join(dir, "c.sqlite")),
        "--refine",
        "0",
        "-q",
      ]);
      expect(result.code, result.stderr).toBe(0);
      const planner = server.requests.filter((r) => r.rule === "planner");
      expect(planner.map((r) => r.status)).toEqual([429, 200]);
      expect(planner[1]!.startedAt! - planner[0]!.startedAt!).toBeGreaterThanOrEqual(2000);
      expect(server.requests.filter((r) => r.rule === "architect").map((r) => r.status)).toEqual([429, 200]);
      expect(server.requests.filter((r) => r.rule === "config_writer").map((r) => r.status)).toEqual([503, 200]);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
