import { countTokens as countO200k } from "gpt-tokenizer";

/**
 * Offline token count (o200k_base, the GPT-4o/4.1/o-series encoding). Other
 * providers tokenize differently; this is an estimate for budgets, never a bill.
 * Special-token text in a paper is counted as ordinary text rather than throwing.
 */
export function countTokens(text: string): number {
  if (!text) return 0;
  return countO200k(text, { disallowedSpecial: new Set() });
}

/** Tokens of a prompt's messages, counted offline (before the call: for budgets and rate limits). */
export function promptTokens(messages: { content: unknown }[]): number {
  return messages.reduce((sum, m) => sum + countTokens(typeof m.content === "string" ? m.content : JSON.stringify(m.content)), 0);
}
