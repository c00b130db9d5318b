import { describe, expect, it } from "vitest";
import { isCutStream } from "../../src/llm/ask.js";
import { guardedFetch } from "../../src/models/guarded-fetch.js";
import { summarizeRepairs } from "../../src/run-report.js";
import type { CallRecord } from "../../src/llm/usage.js";

const answering = (body: string, init: ResponseInit) => guardedFetch(async () => new Response(body, init));

describe("guardedFetch turns a malformed success into a retryable 502", () => {
  it("an HTML page with status 200 becomes a 502 naming the page", async () => {
    const res = await answering("<html><head><title>Gateway Timeout</title></head><body>oops</body></html>", {
      status: 200,
      headers: { "content-type": "text/html" },
    })("http://x");
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toBe('the server answered status 200 with text/html instead of JSON: "Gateway Timeout"');
  });
  it("an empty body and a completion without choices are errors too", async () => {
    expect((await answering("", { status: 200, headers: { "content-type": "application/json" } })("http://x")).status).toBe(502);
    const res = await answering('{"id":"c","choices":[]}', { status: 200, headers: { "content-type": "application/json" } })("http://x");
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toMatch(/no choices/);
  });
  it("JSON under a wrong content type is passed on as JSON; error statuses and streams untouched", async () => {
    const ok = await answering('{"choices":[{"message":{"content":"hi"}}]}', { status: 200, headers: { "content-type": "text/plain" } })(
      "http://x",
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json");
    expect((await ok.json()).choices[0].message.content).toBe("hi");
    expect((await answering("<html>busy</html>", { status: 503, headers: { "content-type": "text/html" } })("http://x")).status).toBe(503);
    const sse = await answering("data: {}\n\n", { status: 200, headers: { "content-type": "text/event-stream" } })("http://x");
    expect(await sse.text()).toBe("data: {}\n\n");
  });
});

describe("isCutStream", () => {
  it("recognises a body cut after the headers, and nothing else", () => {
    expect(isCutStream(new TypeError("terminated"))).toBe(true);
    expect(isCutStream(Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }))).toBe(true);
    expect(isCutStream(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isCutStream(new Error("terminated"))).toBe(false);
  });
});

describe("summarizeRepairs", () => {
  const call = (extra: Partial<CallRecord>): CallRecord => ({
    agent: "coder",
    model: "m",
    inputTokens: 1,
    cachedInputTokens: 0,
    outputTokens: 1,
    reasoningTokens: 0,
    durationMs: 1,
    ...extra,
  });
  it("counts re-asks, continuations and tolerated replies by agent, with their reasons", () => {
    const summary = summarizeRepairs([
      call({ file: "a.py", tolerated: "no code fence: used the whole reply" }),
      call({ file: "b.py", continuation: true }),
      call({ agent: "planner", repairOf: "could not read JSON" }),
      call({ agent: "planner" }),
    ]);
    expect(summary).toMatchObject({ reasks: 1, continuations: 1, tolerated: 1 });
    expect(summary.byAgent).toEqual({
      coder: { reask: 0, continuation: 1, tolerated: 1 },
      planner: { reask: 1, continuation: 0, tolerated: 0 },
    });
    expect(summary.items[0]).toEqual({ kind: "tolerated", agent: "coder", file: "a.py", reason: "no code fence: used the whole reply" });
  });
});
