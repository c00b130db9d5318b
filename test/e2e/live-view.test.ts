import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defectRules } from "../fixtures/defect-replies.js";
import { CLI, runArgs } from "../support/cli.js";
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
