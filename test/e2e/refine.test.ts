import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defectRules } from "../fixtures/defect-replies.js";
import { TINY_CODE } from "../fixtures/tiny-replies.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer } from "../support/scripted-server.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p2c-refine-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(name: string, extra: string[]) {
  const server = await startScriptedServer(defectRules());
  const out = join(dir, name);
  try {
    const r = await runCli([...runArgs(TINY_PAPER, "vllm:m", server.baseUrl, out, join(dir, `${name}.sqlite`)), "--json", "-q", ...extra]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
    return { out, report, requests: server.requests };
  } finally {
    await server.close();
  }
}

const read = (out: string, path: string) => readFile(join(out, path), "utf8");

describe("planted defects with refinement on (default rounds)", () => {
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    result = await run("on", []);
  });

  it("finds the logic design's missing file and cycle, refines it, and keeps both rounds", async () => {
    const first = JSON.parse(await read(result.out, "artifacts/reviews/logic/round-0-verdict.json"));
    expect(first.action).toBe("refine");
    const problems = first.issues.map((i: { problem: string }) => i.problem).join("\n");
    expect(problems).toContain("main.py is missing from the implementation order");
    expect(problems).toContain("dependency cycle");
    const logic = JSON.parse(await read(result.out, "artifacts/logic.json"));
    expect(logic.implementationOrder).toEqual(["data.py", "model.py", "train.py", "main.py"]);
    expect(logic.files.find((f: { path: string }) => f.path === "model.py").dependsOn).toEqual([]);
    expect(JSON.parse(await read(result.out, "artifacts/reviews/logic/round-0-before.json")).implementationOrder).not.toContain("main.py");
    expect(JSON.parse(await read(result.out, "artifacts/reviews/logic/round-1-verdict.json")).action).toBe("accepted");
  });

  it("re-asks invalid YAML instead of keeping it, finds the missing setting, and the final config.yaml parses and has it", async () => {
    const writer = result.requests.filter((r) => r.rule === "config_writer");
    expect(writer.map((r) => r.isRepair)).toEqual([false, true]);
    expect(result.report.repairs.items).toContainEqual(
      expect.objectContaining({ kind: "reask", agent: "config_writer", reason: expect.stringMatching(/invalid YAML/) }),
    );
    const first = JSON.parse(await read(result.out, "artifacts/reviews/config/round-0-verdict.json"));
    expect(first.issues.map((i: { problem: string }) => i.problem).join("\n")).toContain(
      "the plan's setting number of seeds = 5 (Section 3) is not in config.yaml",
    );
    const config = parse(await read(result.out, "repo/config.yaml"));
    expect(config.training.num_seeds).toBe(5);
  });

  it("finds the syntax error, the import of a module never generated, the config key typo and the unlisted package; all are gone", async () => {
    const checks = result.report.checks;
    expect(checks.firstRound).toMatchObject({ syntax: 1, import: 1, "config-key": 1, requirement: 1 });
    expect(checks.ok).toBe(true);
    expect(checks.repairedFiles.sort()).toEqual(["main.py", "train.py"]);
    expect(checks.addedRequirements).toEqual(["scipy"]);
    for (const path of ["train.py", "main.py"]) expect(await read(result.out, `repo/${path}`)).toBe(TINY_CODE[path]);
    expect(await read(result.out, "repo/requirements.txt")).toContain("scipy");
    const first = JSON.parse(await read(result.out, "artifacts/checks/round-0.json"));
    expect(first.report.issues.map((i: { message: string }) => i.message).join("\n")).toMatch(/imports utils[\s\S]*sedes/);
  });

  it("called the refiner once per failing planning stage and the coder once per failing file", () => {
    const count = (rule: string) => result.requests.filter((r) => r.rule === rule).length;
    expect(count("refine:logic")).toBe(1);
    expect(count("refine:config")).toBe(1);
    expect(count("refine:plan")).toBe(0);
    expect(count("repair:train.py")).toBe(1);
    expect(count("repair:main.py")).toBe(1);
    expect(count("verifier")).toBe(6); // plan, architecture, logic x2, config x2
  });
});

describe("planted defects with every round set to 0", () => {
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    result = await run("off", ["--refine", "0"]);
  });

  it("makes no verifier, refiner or repair call", () => {
    expect(result.requests.filter((r) => /^(verifier|refine|repair)/.test(r.rule ?? ""))).toEqual([]);
  });

  it("leaves every defect in place and reports it", async () => {
    const reviews = result.report.reviews;
    expect(reviews.logic).toMatchObject({ passed: false, refined: 0 });
    expect(reviews.config).toMatchObject({ passed: false, refined: 0 });
    const config = JSON.parse(await read(result.out, "artifacts/reviews/config/round-0-verdict.json"));
    const problems = config.issues.map((i: { problem: string }) => i.problem).join("\n");
    expect(problems).toContain("number of seeds = 5");
    // Invalid YAML is never written: the re-asked, valid config.yaml is, with its missing setting reported.
    const yaml = await read(result.out, "repo/config.yaml");
    expect(parse(yaml).training.num_seeds).toBeUndefined();
    const checks = result.report.checks;
    expect(checks.ok).toBe(false);
    expect(checks.remaining).toMatchObject({ syntax: 1, import: 1, requirement: 1 });
    expect(await read(result.out, "repo/requirements.txt")).not.toContain("scipy");
    expect(result.report.notes.join("\n")).toMatch(/code checks: \d+ problem\(s\) remain/);
    expect((await stat(join(result.out, "artifacts", "checks.json"))).size).toBeGreaterThan(0);
  });
});
