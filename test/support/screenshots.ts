/**
 * Manual helper: the README's pictures, from scripted runs (plumbing, not model quality).
 *   npm run build && npx tsx test/support/screenshots.ts [folder]   (default: examples/screenshots)
 * live-view.png: a run under a pseudo-terminal, its screen at the moment analyses and coders are in
 * flight, as a terminal emulator (xterm, headless) shows it; report.png: the top of that run's report.html.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import xterm from "@xterm/headless";
import { defectRules } from "../fixtures/defect-replies.js";
import { launchChromium } from "./browser.js";
import { CLI, runArgs } from "./cli.js";
import { TINY_PAPER } from "./node-state.js";
import { startScriptedServer } from "./scripted-server.js";

const target = resolve(process.argv[2] ?? "examples/screenshots");
mkdirSync(target, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), "p2c-shots-"));
const COLS = 110;
const ROWS = 24;
const server = await startScriptedServer(defectRules(), { latency: { firstTokenMs: 1500, perTokenMs: 4 } });
const out = join(dir, "xor");
const command = [process.execPath, CLI, ...runArgs(TINY_PAPER, "openai:gpt-4.1", server.baseUrl, out, join(dir, "c.sqlite"))]
  .map((a) => `'${a}'`)
  .join(" ");
const chunks: { at: number; data: Buffer }[] = [];
const started = Date.now();
const child = spawn("script", ["-qfec", `stty cols ${COLS} rows ${ROWS}; ${command}`, "/dev/null"], {
  env: { ...process.env, OPENAI_API_KEY: "sk-screenshot" },
  stdio: ["ignore", "pipe", "inherit"],
});
child.stdout.on("data", (data: Buffer) => chunks.push({ at: Date.now() - started, data }));
await new Promise((done) => child.on("close", done));
await server.close();

// The screen when the most calls were in flight during coding.
const term = new xterm.Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
const frames: { text: string; score: number }[] = [];
for (const chunk of chunks) {
  await new Promise<void>((done) => term.write(chunk.data, done));
  const lines = Array.from(
    { length: ROWS },
    (_, i) => term.buffer.active.getLine(term.buffer.active.viewportY + i)?.translateToString(true) ?? "",
  );
  const text = lines.join("\n");
  const inFlight = Number(/(\d+) call\(s\) in flight/.exec(text)?.[1] ?? 0);
  frames.push({ text, score: (text.includes("⋯ coder") ? 100 : 0) + inFlight });
}
const best = frames.reduce((a, b) => (b.score >= a.score ? b : a));
const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const colour = (t: string) =>
  esc(t)
    .replace(/✓/g, '<b style="color:#3fb950">✓</b>')
    .replace(/↻/g, '<b style="color:#d29922">↻</b>')
    .replace(/✗/g, '<b style="color:#f85149">✗</b>')
    .replace(/^(● .*)$/m, '<b style="color:#58a6ff">$1</b>');

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 940, height: 430 } });
  await page.setContent(
    `<body style="margin:0;background:#0d1117"><pre style="margin:0;padding:14px;color:#e6edf3;font:13px/1.35 'DejaVu Sans Mono',monospace">${colour(best.text)}</pre></body>`,
  );
  await page.screenshot({ path: join(target, "live-view.png") });
  const report = await browser.newPage({ viewport: { width: 1200, height: 1150 } });
  await report.goto(`file://${join(out, "report.html")}`);
  await report.waitForSelector("body[data-diagrams=rendered]");
  await report.evaluate(() => document.querySelector("#design")!.scrollIntoView());
  await report.screenshot({ path: join(target, "report.png") });
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`wrote ${join(target, "live-view.png")} and ${join(target, "report.png")}`);
