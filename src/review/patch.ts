import { z } from "zod";
import { applyEdits, parseEdits } from "../execution/edits.js";
import { ReplyParseError } from "../parsing/json.js";
import { yamlBlock } from "../parsing/yaml.js";

/**
 * A refiner answers with what it changes, not the whole artifact: for a JSON
 * artifact, the top-level fields it changes and, in lists of named entries
 * (files by path, components by name), only the entries it changes, adds or
 * removes; for config.yaml, SEARCH/REPLACE edits. What it leaves out stays as
 * it was, so unrelated parts cannot drift and the reply is short. A whole
 * artifact is a valid answer too (every field replaced).
 */

/** Lists of a JSON artifact whose entries are named by a field: merged entry by entry. */
export type KeyedLists = Record<string, string>;

export const REMOVE = "remove";

/** The JSON schema of a patch of `schema`'s objects: every field optional; keyed entries may carry `remove: true`. */
export function patchSchemaOf(schema: z.ZodObject, keyed: KeyedLists): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [field, type] of Object.entries(schema.shape)) {
    const item = keyed[field] && type instanceof z.ZodArray && type.element instanceof z.ZodObject ? type.element : undefined;
    shape[field] = item
      ? z.array(item.partial().extend({ [REMOVE]: z.boolean().optional().describe("true to remove this entry") })).optional()
      : (type as z.ZodType).optional();
  }
  return z.object(shape);
}

/** The artifact with the patch applied: fields replaced, keyed entries replaced, added or removed. */
export function mergePatch<T extends Record<string, unknown>>(current: T, patch: Record<string, unknown>, keyed: KeyedLists): T {
  const merged: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const key = keyed[field];
    if (!key || !Array.isArray(value) || !Array.isArray(current[field])) {
      merged[field] = value;
      continue;
    }
    const entries = [...(current[field] as Record<string, unknown>[])];
    for (const change of value as Record<string, unknown>[]) {
      const at = entries.findIndex((e) => e[key] === change[key]);
      if (change[REMOVE] === true) {
        if (at >= 0) entries.splice(at, 1);
        continue;
      }
      const { [REMOVE]: _, ...entry } = change;
      if (at >= 0) entries[at] = { ...entries[at], ...entry };
      else entries.push(entry);
    }
    merged[field] = entries;
  }
  return merged as T;
}

export const JSON_PATCH_FORMAT = (keyed: KeyedLists) => {
  const lists = Object.entries(keyed).map(([field, key]) => `\`${field}\` (by \`${key}\`)`);
  return [
    "Reply with a JSON object holding only what you change: the top-level fields you change, each complete.",
    lists.length
      ? `In the lists of named entries, ${lists.join(", ")}, give only the entries you change or add, each complete, and \`{"<name>": ..., "remove": true}\` for an entry to remove.`
      : "",
    "Fields and entries you leave out stay exactly as they are.",
  ]
    .filter(Boolean)
    .join(" ");
};

export const CONFIG_EDIT_FORMAT = [
  "Reply with SEARCH/REPLACE edits of config.yaml, each in this form:",
  "",
  "config.yaml",
  "<<<<<<< SEARCH",
  "the lines to replace, copied exactly (comments and indentation included), enough of them to occur only once",
  "=======",
  "the new lines",
  ">>>>>>> REPLACE",
  "",
  "Lines you do not quote stay exactly as they are. If most of the file changes, reply with the whole file in one ```yaml block instead.",
].join("\n");

/** config.yaml after a refiner's reply: its edits applied to the current text, or the whole file it gave. */
export function applyConfigReply(current: string, reply: string): string {
  if (/^\s*<{5,9} ?SEARCH\s*$/m.test(reply)) {
    // An edit that deletes lines takes their line break with them.
    const edits = parseEdits(reply).map((e) => ({
      ...e,
      path: "config.yaml",
      ...(e.replace === "" && current.includes(`${e.search}\n`) ? { search: `${e.search}\n` } : {}),
    }));
    return applyEdits(edits, () => current).get("config.yaml")!;
  }
  const text = yamlBlock(reply);
  if (!text.trim()) throw new ReplyParseError("the reply holds neither SEARCH/REPLACE edits nor a YAML block");
  return `${text}\n`;
}
