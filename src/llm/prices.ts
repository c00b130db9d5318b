import { readFileSync } from "node:fs";
import { z } from "zod";
import { ExitCode, UserError } from "../errors.js";
import { addCall, emptyTotals, summarizeCalls, type CallRecord, type UsageTotals } from "./usage.js";

/** USD per million tokens. */
export const PriceSchema = z.object({
  input: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  /** Writing a prompt to the cache (Anthropic: 1.25x the input price); the input price when absent. */
  cacheWriteInput: z.number().min(0).optional(),
  output: z.number().min(0),
});
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
  "anthropic:claude-sonnet-4-5": { input: 3, cachedInput: 0.3, cacheWriteInput: 3.75, output: 15 },
  "anthropic:claude-haiku-4-5": { input: 1, cachedInput: 0.1, cacheWriteInput: 1.25, output: 5 },
  "anthropic:claude-opus-4-1": { input: 15, cachedInput: 1.5, cacheWriteInput: 18.75, output: 75 },
};

const FREE = /^(ollama|vllm|lmstudio):/;

/** The price file this process was given (--prices), in place of PAPER2CODE_PRICES. */
let priceFile: string | undefined;

/** Use this price file (read at once, so a broken one fails before any call). */
export function usePriceFile(path: string | undefined) {
  if (path) priceFile = path;
  priceTable();
}

/** The built-in prices, with those of the file given by --prices (else PAPER2CODE_PRICES) on top. */
export function priceTable(env: NodeJS.ProcessEnv = process.env): Record<string, Price> {
  const file = priceFile ?? env.PAPER2CODE_PRICES;
  if (!file) return BUILT_IN;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`price file ${file}: ${(error as Error).message}`, ExitCode.usage);
  }
  const parsed = z.record(z.string(), PriceSchema).safeParse(raw);
  if (!parsed.success)
    throw new UserError(
      `price file ${file}: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`,
      ExitCode.usage,
    );
  return { ...BUILT_IN, ...parsed.data };
}

/** Cost in USD of `usage` on `model`, or undefined when the model's price is unknown. */
export function costOf(model: string, usage: UsageTotals, table = priceTable()): number | undefined {
  if (FREE.test(model)) return 0;
  const price = table[model];
  if (!price) return undefined;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const written = Math.min(usage.cacheWriteInputTokens ?? 0, usage.inputTokens - cached);
  const perToken = (usd: number) => usd / 1_000_000;
  return (
    (usage.inputTokens - cached - written) * perToken(price.input) +
    cached * perToken(price.cachedInput ?? price.input) +
    written * perToken(price.cacheWriteInput ?? price.input) +
    usage.outputTokens * perToken(price.output)
  );
}

/** Whether the price table knows `model` (local servers count as free). */
export function hasPrice(model: string, table = priceTable()): boolean {
  return costOf(model, emptyTotals(), table) !== undefined;
}

/** The calls paid for: one answered from the call journal was paid before, once, and is not money spent again. */
export const paidCalls = (calls: CallRecord[]) => calls.filter((c) => !c.replayed);

/** Cost of a run's calls (replayed ones cost nothing); undefined when a model among them has no price. */
export function costOfCalls(calls: CallRecord[], table = priceTable()): number | undefined {
  return totalCost(summarizeCalls(paidCalls(calls), (c) => c.model).byKey, table);
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

/** Cost in USD of one call, or undefined when its model's price is unknown. */
export function callCost(call: CallRecord, table = priceTable()): number | undefined {
  return costOf(call.model, addCall(emptyTotals(), call), table);
}

/** Cost of calls grouped by `key`; a group with a call of unknown price is null. */
export function costsBy(allCalls: CallRecord[], key: (call: CallRecord) => string, table = priceTable()): Record<string, number | null> {
  const calls = paidCalls(allCalls);
  const out: Record<string, number | null> = {};
  for (const call of calls) {
    const k = key(call);
    const cost = callCost(call, table);
    out[k] = cost === undefined || out[k] === null ? null : (out[k] ?? 0) + cost;
  }
  return out;
}

/** A cost as people read it: `$4.19`, or `unknown` (no price for the model). */
export const usd = (v: number | null | undefined, unknown = "unknown") => (v === null || v === undefined ? unknown : `$${v.toFixed(2)}`);
