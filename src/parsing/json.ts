import { jsonrepair } from "jsonrepair";
import { findFences, stripReasoning } from "./reply.js";

export class ReplyParseError extends Error {}

/**
 * Find the JSON value in a model reply: fenced or bare, with prose around it,
 * comments, trailing commas or single quotes (repaired with jsonrepair).
 */
export function extractJson(reply: string): unknown {
  const text = stripReasoning(reply);
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
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      lastError = (error as Error).message;
    }
    try {
      return JSON.parse(jsonrepair(trimmed));
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  throw new ReplyParseError(`could not read JSON: ${lastError}`);
}

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
