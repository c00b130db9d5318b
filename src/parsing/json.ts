import { jsonrepair } from "jsonrepair";
import { findFences, stripReasoning } from "./reply.js";

export class ReplyParseError extends Error {}

/**
 * Find the JSON value in a model reply: fenced or bare, with prose around it,
 * comments, trailing commas or single quotes (repaired with jsonrepair).
 */
export function extractJson(reply: string): unknown {
  return readJson(reply).value;
}

/** extractJson, also saying what had to be tolerated to read the reply (prose around it, a fence, repaired syntax). */
export function readJson(reply: string): { value: unknown; tolerated?: string } {
  const text = stripReasoning(reply);
  const bare = text.trim();
  const candidates: string[] = [];
  for (const fence of findFences(text)) {
    if (/^(json5?|jsonc)?$/i.test(fence.info.split(/\s/)[0] ?? "")) candidates.push(fence.body);
  }
  const balanced = outermostBlock(text);
  if (balanced) candidates.push(balanced);
  candidates.push(text);

  let lastError = "no JSON object found in the reply";
  for (const candidate of candidates) {
    const trimmed = candidate.trim();
    if (!trimmed || !/^[[{]/.test(trimmed)) continue;
    const around = trimmed === bare || trimmed === unfenced(bare) ? [] : ["text around the JSON"];
    try {
      return { value: JSON.parse(trimmed), ...(around.length ? { tolerated: around.join("; ") } : {}) };
    } catch (error) {
      lastError = (error as Error).message;
    }
    try {
      return { value: JSON.parse(jsonrepair(trimmed)), tolerated: [...around, `invalid JSON repaired (${lastError})`].join("; ") };
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  throw new ReplyParseError(`could not read JSON: ${lastError}`);
}

/** A reply that is one fenced block and nothing else: the fence is the expected form, not something tolerated. */
const unfenced = (text: string) =>
  text
    .replace(/^(`{3,}|~{3,})[^\n]*\n/, "")
    .replace(/\n(`{3,}|~{3,})\s*$/, "")
    .trim();

/** The text from the first `{` (or `[`) to its matching closer, skipping strings. */
function outermostBlock(text: string): string | undefined {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const open = text[start]!;
  const close = open === "{" ? "}" : "]";
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === open) depth++;
    else if (ch === close) {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  // Unbalanced: hand the tail to jsonrepair, which closes open brackets.
  return text.slice(start);
}
