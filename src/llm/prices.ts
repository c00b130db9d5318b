import { readFileSync } from "node:fs";
import { z } from "zod";
import type { UsageTotals } from "./usage.js";

/** USD per million tokens. */
export const PriceSchema = z.object({ input: z.number().min(0), cachedInput: z.number().min(0).optional(), output: z.number().min(0) });
export type Price = z.infer<typeof PriceSchema>;

/**
 * List prices of common models (USD per 1M tokens) as published by the providers;
 * they change: PAPER2CODE_PRICES names a JSON file {"provider:model": {input, cachedInput, output}} that overrides them.
 * Local servers cost nothing here.
 */
const BUILT_IN: Record<string, Price> = {
  "openai:gpt-4.1": { input: 2, cachedInput: 0.5, output: 8 },
  "openai:gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
  "openai:gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4 },
  "openai:gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 },
  "openai:gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
  "openai:o3": { input: 2, cachedInput: 0.5, output: 8 },
  "openai:o3-mini": { input: 1.1, cachedInput: 0.55, output: 4.4 },
  "openai:o4-mini": { input: 1.1, cachedInput: 0.275, output: 4.4 },
  "openai:gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
  "openai:gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
  "openai:gpt-5-nano": { input: 0.05, cachedInput: 0.005, output: 0.4 },
  "anthropic:claude-sonnet-4-5": { input: 3, cachedInput: 0.3, output: 15 },
  "anthropic:claude-haiku-4-5": { input: 1, cachedInput: 0.1, output: 5 },
  "anthropic:claude-opus-4-1": { input: 15, cachedInput: 1.5, output: 75 },
};

const FREE = /^(ollama|vllm|lmstudio):/;

export function priceTable(env: NodeJS.ProcessEnv = process.env): Record<string, Price> {
  if (!env.PAPER2CODE_PRICES) return BUILT_IN;
  const raw: unknown = JSON.parse(readFileSync(env.PAPER2CODE_PRICES, "utf8"));
  return { ...BUILT_IN, ...z.record(z.string(), PriceSchema).parse(raw) };
}

/** Cost in USD of `usage` on `model`, or undefined when the model's price is unknown. */
export function costOf(model: string, usage: UsageTotals, table = priceTable()): number | undefined {
  if (FREE.test(model)) return 0;
  const price = table[model];
  if (!price) return undefined;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const perToken = (usd: number) => usd / 1_000_000;
  return (
    (usage.inputTokens - cached) * perToken(price.input) +
    cached * perToken(price.cachedInput ?? price.input) +
    usage.outputTokens * perToken(price.output)
  );
}

/** Total cost over models; undefined when any model with usage has no price. */
export function totalCost(byModel: Record<string, UsageTotals>, table = priceTable()): number | undefined {
  let sum = 0;
  for (const [model, usage] of Object.entries(byModel)) {
    const cost = costOf(model, usage, table);
    if (cost === undefined) return undefined;
    sum += cost;
  }
  return sum;
}
