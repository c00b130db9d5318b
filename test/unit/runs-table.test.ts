import { describe, expect, it } from "vitest";
import { runsTable } from "../../src/cli/runs.js";
import type { RunSummary } from "../../src/runs.js";

const run = (over: Partial<RunSummary>): RunSummary => ({
  id: "3f2a9c1e-0000-4000-8000-000000000000",
  paper: "Attention Is All You Need: a very long title that goes on and on",
  status: "complete",
  stage: "done",
  outDir: "/home/someone/experiments/papers/2017/attention-is-all-you-need-3f2a9c1e",
  updatedAt: "2026-12-02T03:00:00.000Z",
  calls: 52,
  inputTokens: 1_869_121,
  outputTokens: 349_636,
  cost: 4.19,
  ...over,
});

describe("paper2code runs: the table", () => {
  const runs = [
    run({}),
    run({
      id: "77aa0000-1",
      status: "failed",
      stage: "coding",
      error: "the coder's reply for model.py was not code after 3 re-asks\n  more detail",
    }),
  ];

  it("fits an 80-column terminal, cutting the paper and the folder (from its start), and shows a failed run's reason", () => {
    const text = runsTable(runs, 80);
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(79);
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+STAGE.*PAPER\s+FOLDER$/);
    expect(lines[1]).toContain("…"); // the folder's end is kept
    expect(lines[1]).toMatch(/…[^ ]*c1e$/);
    expect(lines[3]).toMatch(/^ {2}reason: the coder's reply for model\.py/);
    expect(text).not.toContain("more detail"); // the reason's first line only
  });

  it("is not cut when it is not a terminal (a pipe or a file)", () => {
    const text = runsTable(runs);
    expect(text).toContain(runs[0]!.outDir);
    expect(text).toContain(runs[0]!.paper);
  });
});
