import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHOSEN_GOLD,
  goldRepository,
  judgeRules,
  LEAF_SCORES,
  REFERENCE_BASED_SCORES,
  REFERENCE_FREE_SCORES,
  SUBMISSION,
  TINY_RUBRIC,
  writeTree,
} from "../fixtures/judge-replies.js";
import { placeFlags, runCli, startCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type BeforeReply, type LoggedRequest, type ScriptedServer } from "../support/scripted-server.js";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const leafOf = (r: LoggedRequest) => /\*\*Requirement (\S+)\*\*/.exec(r.task)?.[1];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The leaves whose judgment a progress line announced ("  [3/6] 1 <requirement> (a1)"), in order. */
const judgedLeaves = (out: string) => [...out.matchAll(/\[\d+\/\d+\] \d(?: \(no valid judgment\))? .*\((\w+)\)$/gm)].map((m) => m[1]!);

/**
 * `paper2code eval` against a scripted judge on 127.0.0.1 (the real client and
 * sockets). The replies are prepared: this proves the plumbing (sampling,
 * averaging, invalid replies, file selection, rubric aggregation, resume),
 * never the judge's quality.
 */
describe("paper2code eval", () => {
  let server: ScriptedServer;
  let dir: string;
  let repo: string;
  let gold: string;
  let rubric: string;
  let hook: BeforeReply | undefined;

  beforeAll(async () => {
    server = await startScriptedServer(judgeRules(), { beforeReply: (r, i) => hook?.(r, i) ?? "answer" });
    dir = await mkdtemp(join(tmpdir(), "p2c-eval-"));
    repo = writeTree(join(dir, "repo"), SUBMISSION);
    gold = writeTree(join(dir, "gold"), goldRepository());
    rubric = join(dir, "rubric.json");
    await writeFile(rubric, JSON.stringify(TINY_RUBRIC));
    await writeFile(join(dir, "prices.json"), JSON.stringify({ "compat:judge": { input: 1, output: 2 } }));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const evalArgs = (name: string, ...extra: string[]) => [
    "eval",
    repo,
    "--paper",
    TINY_PAPER,
    "--judge-model",
    "compat:judge",
    "--judge-base-url",
    server.baseUrl,
    "--checkpointer",
    join(dir, "checkpoints.sqlite"),
    "--out",
    join(dir, name),
    "--prices",
    join(dir, "prices.json"),
    "--max-retries",
    "0",
    ...extra,
  ];
  const reportOf = async (name: string) => JSON.parse(await readFile(join(dir, name, "eval.json"), "utf8"));

  it("reference-free: 8 samples averaged, the invalid one counted and left out, tokens and cost from the server's usage", async () => {
    const first = server.requests.length;
    const result = await runCli(evalArgs("free"));
    expect(result.code, result.stderr).toBe(0);
    const requests = server.requests.slice(first);
    // 8 samples, each its own request; #5 and #7 re-asked once.
    expect(requests.filter((r) => !r.isRepair)).toHaveLength(8);
    expect(requests.filter((r) => r.isRepair)).toHaveLength(2);
    expect(new Set(requests.map((r) => r.key)).size).toBe(10);

    const report = await reportOf("free");
    const free = report.referenceFree;
    expect(free).toMatchObject({ samples: 8, valid: 7, invalid: 1, invalidReplies: 3 });
    expect(free.mean).toBeCloseTo(mean(Object.values(REFERENCE_FREE_SCORES)), 10);
    expect(free.judgments.find((j: { sample: number }) => j.sample === 5)).toMatchObject({ valid: false, invalidReplies: 2 });
    expect(free.judgments.find((j: { sample: number }) => j.sample === 7)).toMatchObject({
      valid: true,
      invalidReplies: 1,
      judgment: { score: 3 },
    });
    expect(free.problems[0]).toMatchObject({ name: "Learning rate schedule", severity: "medium", samples: 7 });
    // Every judgment keeps its reasons.
    expect(free.judgments[0].judgment.components[1].critique).toContain("train.py");

    const input = sum(requests.map((r) => r.promptTokens));
    const output = sum(requests.map((r) => r.completionTokens));
    expect(report.usage.total).toMatchObject({ calls: 10, inputTokens: input, outputTokens: output });
    expect(report.costUsd).toBeCloseTo(input * 1e-6 + output * 2e-6, 12);
    const md = await readFile(join(dir, "free", "eval.md"), "utf8");
    expect(md).toContain(`**Score: ${free.mean.toFixed(2)} / 5** (mean of 7 valid sample(s) of 8`);
    expect(md).toContain("1 sample(s) without a usable judgment");
    expect(result.stdout + result.stderr).toContain("reference-free: 3.57 / 5");

    // The same command again: the evaluation is found complete; no judge is called.
    const again = await runCli(evalArgs("free"));
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr + again.stdout).toContain("already complete");
    expect(server.requests.length).toBe(first + 10);

    // --fresh judges again: neither the checkpoint nor the journal answers.
    const id = (await reportOf("free")).evaluation;
    const fresh = await runCli(evalArgs("free", "--fresh", "--samples", "8")); // the default, given: the same evaluation
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr + fresh.stdout).toContain(`evaluation ${id} `);
    expect(server.requests.length).toBe(first + 20);
    expect((await reportOf("free")).calls.filter((c: { replayed?: boolean }) => c.replayed)).toEqual([]);
  }, 60_000);

  it("reference-based: a gold repository over the budget is narrowed by the judge (a made-up path re-asked), or by the user's list with no selection call", async () => {
    let first = server.requests.length;
    const result = await runCli(evalArgs("based", "--reference", gold, "--code-token-budget", "1000", "--samples", "3"));
    expect(result.code, result.stderr).toBe(0);
    let requests = server.requests.slice(first);
    expect(requests.filter((r) => r.rule === "judge:reference-files").map((r) => r.isRepair)).toEqual([false, true]);
    const report = await reportOf("based");
    expect(report.modes).toEqual(["reference-based"]);
    const based = report.referenceBased;
    expect(based.selection).toMatchObject({ by: "judge", files: CHOSEN_GOLD, invalidReplies: 1 });
    expect(based).toMatchObject({ samples: 3, valid: 2, invalid: 1, invalidReplies: 2 });
    expect(based.mean).toBeCloseTo(mean(Object.values(REFERENCE_BASED_SCORES)), 10);
    // The judges read the chosen gold files and not the others.
    const samples = requests.filter((r) => r.rule === "judge:reference-based" && !r.isRepair);
    expect(samples).toHaveLength(3);
    for (const r of samples) {
      expect(r.task).toContain("## File: src/model.py");
      expect(r.task).toContain("## File: src/train.py");
      expect(r.task).not.toContain("## File: notebooks/plots.py");
      expect(r.task).toContain("## File: model.py"); // the submission
    }

    first = server.requests.length;
    const listed = await runCli(
      evalArgs(
        "based-listed",
        "--reference",
        gold,
        "--reference-files",
        "src/train.py,README.md",
        "--code-token-budget",
        "1000",
        "--samples",
        "1",
      ),
    );
    expect(listed.code, listed.stderr).toBe(0);
    requests = server.requests.slice(first);
    expect(requests.map((r) => r.rule)).toEqual(["judge:reference-based"]);
    expect(requests[0]!.task).toContain("## File: README.md");
    expect(requests[0]!.task).not.toContain("## File: src/model.py");
    expect((await reportOf("based-listed")).referenceBased.selection).toMatchObject({ by: "user", files: ["src/train.py", "README.md"] });

    const bad = await runCli(evalArgs("based-bad", "--reference", gold, "--reference-files", "src/nothing.py"));
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("not text files of");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("rubric --code-dev: each leaf judged with its most relevant files; the invalid leaf counts 0; the weighted score", async () => {
    const first = server.requests.length;
    const result = await runCli(evalArgs("rubric", "--rubric", rubric, "--code-dev"));
    expect(result.code, result.stderr).toBe(0);
    const requests = server.requests.slice(first);
    expect(new Set(requests.map(leafOf))).toEqual(new Set(["a1", "a2", "b1", "b2"]));
    // The leaf about the sigmoid hidden layer sees model.py first; the one about the loss, train.py.
    const filesOf = (r: LoggedRequest) => [...r.task.matchAll(/## File: (\S+)/g)].map((m) => m[1]);
    expect(filesOf(requests.find((r) => leafOf(r) === "a1")!)[0]).toBe("model.py");
    expect(filesOf(requests.find((r) => leafOf(r) === "b1")!)[0]).toBe("train.py");
    // Ancestors give the leaf its context.
    expect(requests.find((r) => leafOf(r) === "a1")!.task).toContain("The model is implemented as described");

    const report = await reportOf("rubric");
    expect(report.rubric).toMatchObject({ leaves: 4, judged: 4, passed: 2, invalid: 1 });
    expect(report.rubric.score).toBeCloseTo(56.25, 10);
    expect(report.rubric.sections.map((s: { id: string; score: number }) => [s.id, s.score])).toEqual([
      ["A", 50],
      ["B", 75],
    ]);
    expect(report.rubric.failed.map((f: { id: string }) => f.id)).toEqual(["a2", "b1"]);
    expect(report.rubric.judgments.find((j: { id: string }) => j.id === "a1")).toMatchObject({
      score: 1,
      valid: true,
      explanation: expect.stringContaining("model.py"),
    });
    // Each leaf's progress line reads as its requirement, not only its id.
    expect(result.stderr).toMatch(/\[\d\/4\] 1 The hidden layer applies a sigmoid activation to two hidden units \(a1\)/);
    expect(result.stderr).toMatch(/\[\d\/4\] 0 \(no valid judgment\) The loss is the mean squared error \(b1\)/);
    // eval.html: the rubric tree, each leaf with its score, its requirement, the judge's reason and the files it read.
    const html = await readFile(join(dir, "rubric", "eval.html"), "utf8");
    expect(html).toMatch(
      /data-leaf="a1" data-score="1"><p><span class="ok">met \(1\)<\/span> · weight 1 · <b>The hidden layer applies a sigmoid/,
    );
    expect(html).toMatch(/data-leaf="a1"[^]*?read: model\.py \(/);
    expect(html).toContain('data-leaf="b1" data-score="0"><p><span class="bad">no valid judgment (0)');
    const md = await readFile(join(dir, "rubric", "eval.md"), "utf8");
    expect(md).toContain("**Score: 56.3%**");
    expect(md).toMatch(/\*\*b1\*\* \(no valid judgment\)/);
  }, 60_000);

  it("an evaluation killed mid-rubric resumes with the same command without judging a finished leaf again", async () => {
    const args = evalArgs("killed", "--rubric", rubric, "--concurrency", "2", "--samples", "1");
    // Answer the first three leaves; hold every later request until the process is killed.
    let answered = 0;
    hook = (request) => {
      if (request.rule !== "judge:leaf") return "answer";
      if (leafOf(request) !== "b1" && answered < 3) {
        answered += 1;
        return "answer";
      }
      return new Promise(() => {}); // held: the kill comes first
    };
    const first = server.requests.length;
    const { child, done } = startCli(args);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    for (let waited = 0; judgedLeaves(out).length < 3; waited += 20) {
      if (waited > 30_000) throw new Error(`three leaves were not judged: ${out}`);
      await sleep(20);
    }
    await sleep(300); // the judgments' checkpoint writes land
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    hook = undefined;
    const finished = judgedLeaves(out);
    expect(finished).toHaveLength(3);
    const firstRun = server.requests.slice(first);
    const answeredLeaves = firstRun.filter((r) => r.completed).map(leafOf);

    const resumed = server.requests.length;
    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout + again.stderr).toContain("continuing");
    const secondRun = server.requests.slice(resumed);
    // No finished leaf, and no leaf whose reply had arrived, is asked again.
    for (const leaf of answeredLeaves) expect(secondRun.map(leafOf)).not.toContain(leaf);
    // The finished leaves' tasks did not run again: each has the one call of the first run, none answered from the journal.
    const report = await reportOf("killed");
    for (const leaf of finished) {
      expect(
        report.calls.filter((c: { file?: string }) => c.file === leaf),
        leaf,
      ).toEqual([expect.not.objectContaining({ replayed: true })]);
    }
    const rejudged = judgedLeaves(again.stdout + again.stderr);
    expect(again.stdout + again.stderr).toContain("3 judgment(s) already made are kept");
    expect(new Set([...finished, ...rejudged])).toEqual(new Set(["a1", "a2", "a3", "b1", "b2", "b3"]));
    expect(rejudged).toHaveLength(3);

    expect(report.status).toBe("complete");
    expect(report.rubric).toMatchObject({ leaves: 6, judged: 6, passed: 3, invalid: 1 });
    expect(report.rubric.score).toBeCloseTo(71.25, 10);
    for (const [id, score] of Object.entries(LEAF_SCORES))
      expect(report.rubric.judgments.find((j: { id: string }) => j.id === id).score).toBe(score);
  }, 90_000);

  it("refuses bad input before any judge call, with the reason", async () => {
    const first = server.requests.length;
    const noJudge = await runCli(["eval", repo, "--paper", TINY_PAPER, ...placeFlags(join(dir, "x1"), join(dir, "checkpoints.sqlite"))]);
    expect(noJudge.code).toBe(2);
    expect(noJudge.stderr).toContain("no judge model configured");
    await writeFile(join(dir, "broken.json"), JSON.stringify({ id: "root", requirements: "r", weight: "heavy", sub_tasks: [] }));
    const broken = await runCli(evalArgs("x2", "--rubric", join(dir, "broken.json")));
    expect(broken.code).toBe(4);
    expect(broken.stderr).toContain("weight");
    const noRepo = await runCli(evalArgs("x3").map((a) => (a === repo ? join(dir, "missing") : a)));
    expect(noRepo.code).toBe(3);
    const codeDevAlone = await runCli(evalArgs("x4", "--code-dev"));
    expect(codeDevAlone.code).toBe(2);
    expect(server.requests.length).toBe(first);
  }, 60_000);

  it("evaluations share the checkpoint database with runs but are not listed or resumed as runs", async () => {
    const db = ["--checkpointer", join(dir, "checkpoints.sqlite")];
    const runs = await runCli(["runs", ...db, "--json"]);
    expect(runs.code, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
    const id = (await reportOf("free")).evaluation as string;
    expect(id).toMatch(/^eval-/);
    const resume = await runCli(["resume", id, ...db]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain("is an evaluation, not a run");
  }, 30_000);
});
