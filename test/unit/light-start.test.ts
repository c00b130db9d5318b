import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../support/cli.js";

const ROOT = join(import.meta.dirname, "..", "..");
const RECORD = join(ROOT, "test", "support", "imports", "register.mjs");

/** The @langchain modules a node process loads (the built code: npm test builds first). */
function langchainLoadedBy(args: string[]): string[] {
  const result = spawnSync(process.execPath, ["--import", RECORD, ...args], { cwd: ROOT, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stderr.split("\n").filter((line) => line.startsWith("loaded "));
}

describe("a start that asks no model", () => {
  it("reads the stage vocabulary and prints --help without loading LangGraph or a model client", () => {
    expect(langchainLoadedBy([CLI, "--help"])).toEqual([]);
    expect(langchainLoadedBy([CLI, "rewind", "--help"])).toEqual([]);
    expect(
      langchainLoadedBy(["--input-type=module", "-e", `await import(${JSON.stringify(join(ROOT, "dist", "graphs", "stages.js"))})`]),
    ).toEqual([]);
  });

  it("(control) loads them when the graph is built", () => {
    const loaded = langchainLoadedBy([
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(join(ROOT, "dist", "graphs", "paper2code.js"))})`,
    ]);
    expect(loaded.some((line) => line.includes("@langchain/langgraph"))).toBe(true);
  });
});
