import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { RunnableConfig } from "@langchain/core/runnables";

export interface RateLimits {
  /** Requests per minute. */
  rpm?: number;
  /** Prompt and completion tokens per minute (the prompt counted offline, before the call). */
  tpm?: number;
}

const WINDOW_MS = 60_000;

/**
 * Requests and tokens per minute for one model, over a sliding minute: a call
 * waits until it fits. Providers' own limits still answer 429 with Retry-After,
 * which the client honours; this keeps a run under them in the first place.
 */
export class RateLimiter {
  private readonly events: { at: number; tokens: number }[] = [];
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly limits: RateLimits,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = {
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  ) {}

  /** Wait for room for one request of `tokens`, then count it. Callers are served in order. */
  acquire(tokens: number): Promise<void> {
    const turn = this.tail.then(() => this.waitForRoom(tokens));
    this.tail = turn.catch(() => {});
    return turn;
  }

  private async waitForRoom(tokens: number): Promise<void> {
    const { rpm, tpm } = this.limits;
    for (;;) {
      const now = this.clock.now();
      while (this.events.length && this.events[0]!.at <= now - WINDOW_MS) this.events.shift();
      const used = this.events.reduce((sum, e) => sum + e.tokens, 0);
      const requestsOk = !rpm || this.events.length < rpm;
      // A single call larger than the whole budget goes alone, once the window is empty.
      const tokensOk = !tpm || used + tokens <= tpm || this.events.length === 0;
      if (requestsOk && tokensOk) {
        this.events.push({ at: now, tokens });
        return;
      }
      await this.clock.sleep(this.events[0]!.at + WINDOW_MS - now + 1);
    }
  }
}

const limiters = new Map<string, RateLimiter>();

/** The limiter of `model` under the run's limits (configurable rpm and tpm), if it has any. */
export function rateLimiterFor(model: string, config: RunnableConfig | undefined = AsyncLocalStorageProviderSingleton.getRunnableConfig()) {
  const { rpm, tpm } = (config?.configurable ?? {}) as RateLimits;
  if (!rpm && !tpm) return undefined;
  const key = `${model}|${rpm ?? ""}|${tpm ?? ""}`;
  let limiter = limiters.get(key);
  if (!limiter) limiters.set(key, (limiter = new RateLimiter({ rpm, tpm })));
  return limiter;
}
