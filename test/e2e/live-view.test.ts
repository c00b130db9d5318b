import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defectRules } from "../fixtures/defect-replies.js";
import { CLI, modelFlags, runArgs } from "../support/cli.js";
import { writePapers } from "../support/papers.js";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer } from "../support/scripted-server.js";

/** Run the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal would; the raw screen output. */
function underTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; screen: string }> {
  const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(" ");
  // A pseudo-terminal starts at 0x0; a person's is sized.
  const child = spawn("script", ["-qfec", `stty cols 100 rows 40; ${command}`, "/dev/null"], {
    env: { ...process.env, OPENAI_API_KEY: "", PAPER2CODE_MODEL: "", COLUMNS: "100", LINES: "40", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.on("data", (d) => (screen += d));
  child.stderr.on("data", (d) => (screen += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, screen })));
}

// Cursor movement and erasing, so that the text is what was drawn (each redraw in turn).
const plain = (screen: string) => screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "\n");

describe("the live view on a terminal", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("shows a call in flight with its elapsed time, and a verification that gave up is not a success", async () => {
    const dir = mkdtempSync(join(tmpdir(), "p2c-live-"));
    dirs.push(dir);
    // Slow replies (2.2 s each) so that the view redraws while calls run; the plan's verifier never passes.
    const server = await startScriptedServer(defectRules({ verifierAlwaysFails: true }), {
      latency: { firstTokenMs: 2200, perTokenMs: 0 },
    });
    try {
      const { screen } = await underTerminal([
        ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, join(dir, "out"), join(dir, "c.sqlite")),
        "--refine",
        "plan=1,architecture=0,logic=0,config=0,analysis=0",
        "--concurrency",
        "8",
      ]);
      const text = plain(screen);
      // The planner's call, in flight, with its elapsed time counting up.
      expect(text).toMatch(/call\(s\) in flight/);
      expect(text).toMatch(/⋯ planner\s+1s/);
      expect(text).toMatch(/⋯ planner\s+0s/);
      // Files analysed and written, N of M.
      expect(text).toMatch(/analysed \d+\/\d+ · written \d+\/\d+/);
      // The plan's verification gave up: marked ✗, never ✓.
      expect(text).toMatch(/✗ verify plan\s+gave up with issues left \(1 high\)/);
      expect(text).not.toMatch(/✓ verify plan/);
      // The refined round is marked as refining, not as accepted.
      expect(text).toMatch(/↻ verify plan\s+refining/);
      // Human labels, no raw node names.
      expect(text).not.toMatch(/plan_files|reconcile_design|check_code/);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("batch on a terminal: one live row per paper with its stage, files written, calls and cost; complete at the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), "p2c-live-"));
    dirs.push(dir);
    const papers = writePapers(dir, ["First XOR", "Second XOR"]);
    // 1.2 s a call: the table redraws (every second) while both papers run.
    const server = await startScriptedServer(tinyRules(), { latency: { firstTokenMs: 1200, perTokenMs: 0 } });
    try {
      const { code, screen } = await underTerminal(
        [
          "batch",
          ...papers,
          ...modelFlags("openai:gpt-4.1", server.baseUrl),
          "--out",
          join(dir, "b"),
          "--papers-at-once",
          "2",
          "--refine",
          "0",
        ],
        { OPENAI_API_KEY: "sk-live-test" },
      );
      expect(code, screen).toBe(0);
      const lines = plain(screen).split("\n");
      const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
      const lastAt = (pattern: RegExp) => {
        const fromEnd = [...lines].reverse().findIndex((l) => pattern.test(l));
        return fromEnd < 0 ? -1 : lines.length - 1 - fromEnd;
      };
      expect(at(/^PAPER\s+STAGE\s+FILES\s+CALLS\s+TOKENS\s+COST\s+STATUS$/)).toBeGreaterThanOrEqual(0);
      // Both papers at once: the second is planning while the first is still running.
      const secondPlanning = at(/^second-xor\s+planner\s+\d+\s+[\d,]+\s+\$[\d.]+\s+running$/);
      expect(secondPlanning).toBeGreaterThanOrEqual(0);
      expect(lastAt(/^first-xor\s+.*running$/)).toBeGreaterThan(secondPlanning);
      // Human stage labels, and files written N of M once coding starts.
      expect(at(/^first-xor\s+analyst\+coder\s+[1-5]\/5\s/)).toBeGreaterThanOrEqual(0);
      expect(lines.join("\n")).not.toMatch(/plan_files|reconcile_design|check_code/);
      // At the end both are complete with their calls, tokens and cost; no plain per-paper lines on a terminal.
      for (const paper of ["first-xor", "second-xor"])
        expect(lastAt(new RegExp(`^${paper}\\s+complete\\s+\\d+\\s+[\\d,]+\\s+\\$[\\d.]+\\s+complete$`))).toBeGreaterThan(secondPlanning);
      expect(lines.some((l) => /^✓ .*: complete \(/.test(l))).toBe(false);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("--plain on a terminal prints the same lines without the live view", async () => {
    const dir = mkdtempSync(join(tmpdir(), "p2c-live-"));
    dirs.push(dir);
    const server = await startScriptedServer(defectRules());
    try {
      const { code, screen } = await underTerminal([
        ...runArgs(TINY_PAPER, "compat:m", server.baseUrl, join(dir, "out"), join(dir, "c.sqlite")),
        "--plain",
      ]);
      expect(code).toBe(0);
      const text = plain(screen);
      expect(text).toMatch(/✓ planner/);
      expect(text).not.toMatch(/in flight/);
      expect(screen).not.toMatch(/\u001b\[[0-9;]*m/); // no colour either
    } finally {
      await server.close();
    }
  }, 120_000);
});
