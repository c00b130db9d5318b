import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/llm/rate-limit.js";

/** A clock that only moves when someone sleeps: the limiter's waits are exact and instant. */
function fakeClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now };
}

describe("rate limiter", () => {
  it("lets rpm requests through in a minute and makes the next wait until the first leaves the window", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ rpm: 3 }, clock);
    for (let i = 0; i < 3; i++) await limiter.acquire(10);
    expect(clock.elapsed()).toBe(0);
    await limiter.acquire(10);
    expect(clock.elapsed()).toBe(60_001);
  });

  it("counts tokens per minute, and lets one oversized call through alone", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ tpm: 1000 }, clock);
    await limiter.acquire(600);
    await limiter.acquire(400);
    expect(clock.elapsed()).toBe(0);
    await limiter.acquire(1); // the minute's 1,000 tokens are used
    expect(clock.elapsed()).toBe(60_001);
    await limiter.acquire(5000); // larger than the limit: waits for an empty window, then goes
    expect(clock.elapsed()).toBe(120_002);
  });

  it("serves waiting callers in order", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ rpm: 1 }, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => limiter.acquire(1).then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.elapsed()).toBe(120_002);
  });
});
