import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/llm/usage.js";
import { timelineHtml } from "../../src/report/run-page.js";

const call = (agent: string, startedAt: string, durationMs: number, extra: Partial<CallRecord> = {}): CallRecord => ({
  agent,
  model: "openai:gpt-4.1",
  inputTokens: 1_000,
  cachedInputTokens: 0,
  outputTokens: 200,
  reasoningTokens: 0,
  startedAt,
  durationMs,
  ...extra,
});

describe("the report's call timeline", () => {
  it("draws one bar per call made, placed on a shared time axis, and counts the calls the journal answered without drawing them", () => {
    const html = timelineHtml([
      call("planner", "2026-12-01T10:00:00.000Z", 4_000, { replayed: true }),
      call("architect", "2026-12-01T10:00:10.000Z", 5_000),
      call("coder", "2026-12-01T10:00:15.000Z", 5_000, { file: "model.py" }),
    ]);
    expect(html).toContain('data-calls="2"');
    expect(html.match(/class="bar /g)).toHaveLength(2);
    expect(html).toContain("2 calls over 10.0 s; 1 more answered from the call journal");
    expect(html).toContain('style="left:50.000%;width:50.000%"'); // the coder: second half of the 10 s
    expect(html).not.toContain(">planner<");
  });

  it("a resumed run whose calls were all answered from the journal says so", () => {
    const html = timelineHtml([call("planner", "2026-12-01T10:00:00.000Z", 4_000, { replayed: true })]);
    expect(html).toContain("no timed call; 1 answered from the call journal");
    expect(timelineHtml([])).toBe('<p class="muted">no timed call</p>');
  });
});
