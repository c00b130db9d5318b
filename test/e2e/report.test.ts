import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defectRules } from "../fixtures/defect-replies.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, type ScriptedServer } from "../support/scripted-server.js";

const KEY = "sk-report-test-secret-4242";
const SCREENSHOTS = join(import.meta.dirname, "..", "..", "test-results");

function repoFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

describe.skipIf(!hasChromium)("report.html in a browser (Debian's Chromium)", () => {
  let dir: string;
  let server: ScriptedServer;
  let out: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "p2c-report-"));
    server = await startScriptedServer(defectRules());
    out = join(dir, "out");
    // A priced model (so the cost table has figures) and a key that must never reach the report.
    const r = await runCli([...runArgs(TINY_PAPER, "openai:gpt-4.1", server.baseUrl, out, join(dir, "c.sqlite")), "--refine", "all=1"], {
      env: { OPENAI_API_KEY: KEY },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`report: ${join(out, "report.html")}`);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens from file:// with the network blocked: no request, no console error, diagrams as SVG, every file, run.json's costs", async () => {
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toContain(KEY);
    expect(html).not.toContain("OPENAI_API_KEY");

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const url = `file://${join(out, "report.html")}`;
      const requests: string[] = [];
      await context.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
      const page = await context.newPage();
      page.on("request", (r) => r.url() !== url && requests.push(r.url()));
      const errors: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(url);
      await page.waitForSelector("body[data-diagrams]", { timeout: 30_000 });
      expect(await page.getAttribute("body", "data-diagrams")).toBe("rendered");

      const diagrams = await page.$$eval("pre.mermaid", (els) =>
        els.map((e) => ({ name: e.dataset.diagram, svg: !!e.querySelector("svg"), text: e.querySelector("svg")?.textContent ?? "" })),
      );
      const classDiagram = diagrams.find((d) => d.name === "classDiagram");
      const sequenceDiagram = diagrams.find((d) => d.name === "sequenceDiagram");
      expect(classDiagram?.svg).toBe(true);
      expect(classDiagram?.text).toContain("TwoLayerPerceptron");
      expect(sequenceDiagram?.svg).toBe(true);
      expect(sequenceDiagram?.text).toContain("train(config, seed)");
      expect(diagrams.find((d) => d.name === "dependencies")?.text).toContain("train.py");

      const shown = await page.$$eval("div.file[data-path]", (els) => els.map((e) => e.getAttribute("data-path")));
      expect(shown.sort()).toEqual(repoFiles(join(out, "repo")));
      // Code is highlighted ahead of time.
      expect(await page.locator('div.file[data-path="model.py"] .hljs-keyword').count()).toBeGreaterThan(0);

      // The refined logic design shows its before/after diff; a verdict shows its issues.
      expect(await page.locator('details.review[data-artifact="logic"] pre.diff .add').count()).toBeGreaterThan(0);
      expect(await page.locator("#checks").textContent()).toContain("syntax");

      const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
      const rows = await page.$$eval("table.by-stage tbody tr", (trs) =>
        trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
      );
      const fmt = (v: number) => v.toLocaleString("en");
      const expected = [
        ...Object.entries(
          run.usage.byStage as Record<string, { calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number }>,
        ).map(([stage, u]) => [
          stage,
          fmt(u.calls),
          fmt(u.inputTokens),
          fmt(u.cachedInputTokens),
          fmt(u.outputTokens),
          `$${run.cost.byStage[stage].toFixed(2)}`,
        ]),
        [
          "total",
          fmt(run.usage.total.calls),
          fmt(run.usage.total.inputTokens),
          fmt(run.usage.total.cachedInputTokens),
          fmt(run.usage.total.outputTokens),
          `$${run.costUsd.toFixed(2)}`,
        ],
      ];
      expect(rows).toEqual(expected);
      expect(await page.getAttribute(".timeline", "data-calls")).toBe(String(run.calls.length));

      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "report.png") });
      await page.locator("#design").screenshot({ path: join(SCREENSHOTS, "report-design.png") });
      await page.locator("#timeline").screenshot({ path: join(SCREENSHOTS, "report-timeline.png") });
    } finally {
      await browser.close();
    }
  }, 90_000);

  it("--no-report writes none", async () => {
    const other = join(dir, "other");
    const r = await runCli([...runArgs(TINY_PAPER, "openai:gpt-4.1", server.baseUrl, other, join(dir, "d.sqlite")), "--no-report", "-q"], {
      env: { OPENAI_API_KEY: KEY },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(other)).not.toContain("report.html");
    expect(readdirSync(other)).toContain("run.json");
  }, 120_000);
});
