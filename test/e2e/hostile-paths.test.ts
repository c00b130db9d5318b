import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";
import type { Rule } from "../support/rules.js";

/** File names from the model are untrusted: nothing may land outside the output folder. */
describe("hostile file paths from the model", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "p2c-hostile-"));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  /** The architect and logic designer answer with `path` among the files (every time, or only the first time). */
  function hostileRules(path: string, { once }: { once: boolean }): Rule[] {
    let sent = false;
    return tinyRules().map((rule) => {
      if (rule.name !== "logic_designer") return rule;
      const good = JSON.parse(rule.reply as string) as {
        files: { path: string; logic: string; dependsOn: string[] }[];
        implementationOrder: string[];
      };
      const bad = {
        ...good,
        files: [...good.files, { path, logic: "x", dependsOn: [] }],
        implementationOrder: [...good.implementationOrder, path],
      };
      return { ...rule, reply: () => (once && sent ? (rule.reply as string) : ((sent = true), JSON.stringify(bad))) };
    });
  }

  async function run(name: string, rules: Rule[]) {
    const server: ScriptedServer = await startScriptedServer(rules);
    try {
      const out = join(dir, name);
      const result = await runCli([...runArgs(TINY_PAPER, "compat:m", server.baseUrl, out, join(dir, "c.sqlite")), "--refine", "0", "-q"]);
      return { result, out, server };
    } finally {
      await server.close();
    }
  }

  it.each([
    ["../../escaped.py", "uses '..' to leave the repository"],
    ["/tmp/p2c-absolute.py", "is absolute"],
    ["C:\\\\Windows\\\\evil.py", "is absolute"],
    ["pkg/../../../escaped.py", "uses '..'"],
    [".git/hooks/pre-commit", "writes into .git"],
    ["CON.py", "reserved name"],
    ["Data.py", "differ only in letter case"],
  ])(
    "%s: re-asked with the reason, and the run goes on with a safe answer",
    async (path, reason) => {
      const { result, out, server } = await run(`once-${path.replace(/\W+/g, "_")}`, hostileRules(path, { once: true }));
      expect(result.code, result.stderr).toBe(0);
      const logic = server.requests.filter((r) => r.rule === "logic_designer");
      expect(logic).toHaveLength(2);
      const repair = JSON.parse(await readFile(join(out, "run.json"), "utf8")).notes.join("\n");
      expect(repair).toContain(reason);
      expect(existsSync(join(dir, "escaped.py"))).toBe(false);
      expect(existsSync("/tmp/p2c-absolute.py")).toBe(false);
      expect(readdirSync(join(out, "repo")).sort()).toEqual([
        "README.md",
        "config.yaml",
        "data.py",
        "main.py",
        "model.py",
        "reproduce.sh",
        "requirements.txt",
        "train.py",
      ]);
    },
    60_000,
  );

  it("fails with a clear message, writing nothing outside, when the model insists", async () => {
    const { result } = await run("insists", hostileRules("../../escaped.py", { once: false }));
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("logic_designer: unusable reply after a re-ask");
    expect(result.stderr).toContain("uses '..' to leave the repository");
    expect(existsSync(join(dir, "escaped.py"))).toBe(false);
  }, 60_000);

  it("does not write through a link in the output folder that leads outside it", async () => {
    const outside = join(dir, "outside");
    mkdirSync(outside);
    const out = join(dir, "linked");
    mkdirSync(join(out, ".paper2code"), { recursive: true }); // an earlier paper2code output
    symlinkSync(outside, join(out, "repo"));
    const server = await startScriptedServer(tinyRules());
    try {
      const result = await runCli([...runArgs(TINY_PAPER, "compat:m", server.baseUrl, out, join(dir, "c.sqlite")), "--refine", "0", "-q"]);
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(/would be written through a link to .*outside/);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
