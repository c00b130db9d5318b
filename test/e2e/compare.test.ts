import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defectRules } from "../fixtures/defect-replies.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

/** The cells of a Markdown table row that starts with `first`. */
const rowOf = (markdown: string, first: string) =>
  markdown
    .split("\n")
    .find((l) => l.startsWith(`| ${first} |`))
    ?.split(" | ")
    .map((c) => c.replace(/^\| | \|$/g, "").trim());

describe("paper2code compare: one paper, --refine 0 against --refine all=2", () => {
  let dir: string;
  let server: ScriptedServer;
  const env = { OPENAI_API_KEY: "sk-compare-test" };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "p2c-compare-"));
    // The logic design and config.yaml fail their first review (planted defects); a refinement fixes them.
    server = await startScriptedServer(defectRules());
    for (const [name, refine] of [
      ["refine0", "0"],
      ["refine2", "all=2"],
    ]) {
      const r = await runCli(
        [...runArgs(TINY_PAPER, "openai:gpt-4.1", server.baseUrl, join(dir, name!), join(dir, "c.sqlite")), "-q", "--refine", refine!],
        { env },
      );
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the extra rounds and their outcome, their calls and cost, the changed files and their diffs", async () => {
    const r = await runCli(["compare", join(dir, "refine0"), join(dir, "refine2"), "--html", join(dir, "compare.html")]);
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    const runs = (id: string) => JSON.parse(readFileSync(join(dir, id, "run.json"), "utf8"));
    const [a, b] = [runs("refine0"), runs("refine2")];

    // Reviews: the logic design had one round and gave up without refinement; two rounds and passed with it.
    const logic = rowOf(md, "logic")!;
    expect(logic.slice(1)).toEqual(["1", "-", "2/0/0 → 2/0/0", "gave up", "2", "5 → 5", "2/0/0 → 0/0/0", "passed"]);
    expect(rowOf(md, "config")!.slice(5, 9)).toEqual(["2", "5 → 5", "1/0/0 → 0/0/0", "passed"]);

    // Totals and the planning stage's extra calls, at their cost (the figures run.json has).
    expect(rowOf(md, "calls")!.slice(1)).toEqual([String(a.usage.total.calls), String(b.usage.total.calls)]);
    expect(rowOf(md, "cost")!.slice(1)).toEqual([`$${a.costUsd.toFixed(2)}`, `$${b.costUsd.toFixed(2)}`]);
    const planning = rowOf(md, "planning")!;
    expect(Number(planning[5])).toBeGreaterThan(Number(planning[1]));
    expect(planning[1]).toBe(String(a.usage.byStage.planning.calls));
    expect(planning[5]).toBe(String(b.usage.byStage.planning.calls));
    expect(rowOf(md, "static checks")!.slice(1)).toEqual(["problems left (1 round(s))", "passed (2 round(s))"]);

    // Files: the ones refinement and repair changed, with their diffs; an unchanged one says so.
    expect(rowOf(md, "train.py")![3]).toMatch(/^changed \(\+\d+ −\d+\)$/);
    expect(rowOf(md, "model.py")![3]).toBe("same");
    expect(md).toContain("### train.py (refine0 → refine2)");
    expect(md).toMatch(/```diff\n--- a\/train\.py\n\+\+\+ b\/train\.py\n@@/);
    expect(md).not.toContain("### model.py (");

    const html = readFileSync(join(dir, "compare.html"), "utf8");
    expect(html).toContain("<table>");
    expect(html).toContain("refine0 → refine2");
  }, 60_000);

  it("paper2code report <id> writes a run's report.html again, from the id's first characters", async () => {
    const out = join(dir, "refine0");
    const id = JSON.parse(readFileSync(join(out, "run.json"), "utf8")).threadId as string;
    rmSync(join(out, "report.html"));
    const r = await runCli(["report", id.slice(0, 8), "--checkpointer", join(dir, "c.sqlite")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, "report.html"));
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('data-path="train.py"');
    const none = await runCli(["report", join(dir, "nope-folder"), "--checkpointer", join(dir, "c.sqlite")]);
    expect(none.code).not.toBe(0);
  }, 60_000);

  it("--json gives the same comparison as data; one run alone is a usage error", async () => {
    const r = await runCli(["compare", join(dir, "refine0"), join(dir, "refine2"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.reviews.find((x: { artifact: string }) => x.artifact === "logic").runs.map((x: { rounds: number }) => x.rounds)).toEqual([
      1, 2,
    ]);
    const one = await runCli(["compare", join(dir, "refine0")]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("compare needs two runs or more");
    const missing = await runCli(["compare", join(dir, "refine0"), join(dir, "nope"), "--checkpointer", join(dir, "c.sqlite")]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no run 'nope'|nope/);
  }, 60_000);
});
