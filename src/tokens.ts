import { createRequire } from "node:module";

type Tokenizer = typeof import("gpt-tokenizer");
let tokenizer: Tokenizer | undefined;

/** The tokenizer, loaded on first use (its tables take a quarter of a second to load; commands that count nothing skip them). */
function loaded(): Tokenizer {
  tokenizer ??= createRequire(import.meta.url)("gpt-tokenizer") as Tokenizer;
  return tokenizer;
}

/**
 * Offline token count (o200k_base, the GPT-4o/4.1/o-series encoding). Other
 * providers tokenize differently; this is an estimate for budgets, never a bill.
 * Special-token text in a paper is counted as ordinary text rather than throwing.
 */
export function countTokens(text: string): number {
  if (!text) return 0;
  return loaded().countTokens(text, { disallowedSpecial: new Set() });
}

/**
 * Whether `text` is at most `limit` tokens, without counting past the limit (a long file is not
 * tokenized whole to learn that it is long), and without the tokenizer when the text has at most
 * `limit` bytes (a token is never shorter than a byte).
 */
export function tokensWithin(text: string, limit: number): boolean {
  if (Buffer.byteLength(text, "utf8") <= limit) return true;
  return loaded().isWithinTokenLimit(text, limit, { disallowedSpecial: new Set() }) !== false;
}

/** Tokens of a prompt's messages, counted offline (before the call: for budgets and rate limits). */
export function promptTokens(messages: { content: unknown }[]): number {
  return messages.reduce((sum, m) => sum + countTokens(typeof m.content === "string" ? m.content : JSON.stringify(m.content)), 0);
}
