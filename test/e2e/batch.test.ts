import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { modelFlags, runCli } from "../support/cli.js";
import { paperOf, writePapers } from "../support/papers.js";
import { taskIs, type Rule, type ScriptedRequest } from "../support/rules.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

describe("paper2code batch: three papers, one failing at a planted fault", () => {
  let dir: string;
  let server: ScriptedServer;
  let papers: string[];
  const titles = ["Alpha XOR", "Beta XOR", "Gamma XOR"];
  let faulty = true;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "p2c-batch-"));
    papers = writePapers(dir, titles);
    writeFileSync(join(dir, "list.txt"), `# the batch\n${papers.map((p) => p.split("/").at(-1)).join("\n")}\n`);
    // Gamma's planner answers prose, never JSON, while the fault is on: its run fails after the re-ask.
    const fault: Rule = {
      name: "fault:planner",
      match: (req: ScriptedRequest) =>
        faulty && taskIs("the reproduction plan")(req) && req.messages.some((m) => m.content.includes("Gamma XOR")),
      reply: "I would rather not write a plan today.",
    };
    server = await startScriptedServer([fault, ...tinyRules()]);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const batch = () =>
    runCli(
      [
        "batch",
        join(dir, "list.txt"),
        ...modelFlags("openai:gpt-4.1", server.baseUrl),
        "--out",
        join(dir, "b"),
        "--papers-at-once",
        "3",
        "--refine",
        "0",
      ],
      {
        env: { OPENAI_API_KEY: "sk-batch-test" },
      },
    );

  it("completes the other two, says which failed and why, and the same command again resumes only the failed one", async () => {
    const first = await batch();
    expect(first.code, first.stderr).toBe(6); // not all succeeded
    const ledger = JSON.parse(readFileSync(join(dir, "b", "batch.json"), "utf8"));
    const byTitle = (t: string) => ledger.papers.find((p: { paper: string }) => p.paper.includes(t.toLowerCase().replace(/\W+/g, "-")));
    expect(byTitle("Alpha XOR")).toMatchObject({ status: "complete", attempts: 1, reasons: [] });
    expect(byTitle("Beta XOR")).toMatchObject({ status: "complete", attempts: 1 });
    const gamma = byTitle("Gamma XOR");
    expect(gamma.status).toBe("failed");
    expect(gamma.attempts).toBe(2); // retried once at once
    expect(gamma.reasons[0]).toMatch(/planner/);
    const md = readFileSync(join(dir, "b", "batch.md"), "utf8");
    expect(md).toMatch(/\| gamma-xor \| failed \|.*planner/);
    expect(md).toMatch(/\| total \| 2\/3 complete \|/);
    // Each paper has its own run folder, thread and run.json.
    for (const p of ledger.papers) expect(JSON.parse(readFileSync(join(p.outDir, "run.json"), "utf8")).threadId).toBe(p.threadId);

    faulty = false;
    const before = server.requests.length;
    const again = await batch();
    expect(again.code, again.stderr).toBe(0);
    const asked = server.requests.slice(before).map((r) => paperOf(r, titles));
    expect(new Set(asked)).toEqual(new Set(["Gamma XOR"]));
    const after = JSON.parse(readFileSync(join(dir, "b", "batch.json"), "utf8"));
    const g = after.papers.find((p: { threadId: string }) => p.threadId === gamma.threadId);
    expect(g.status).toBe("complete");
    expect(g.reasons[0]).toBe(gamma.reasons[0]); // the earlier failure is kept
    expect(after.papers.filter((p: { status: string }) => p.status === "complete")).toHaveLength(3);
  }, 180_000);

  it("refuses a paper that does not exist before any call", async () => {
    const r = await runCli(["batch", join(dir, "nope.md"), ...modelFlags("openai:gpt-4.1", server.baseUrl), "--out", join(dir, "c")], {
      env: { OPENAI_API_KEY: "sk-batch-test" },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("no such paper or list");
  });
});
