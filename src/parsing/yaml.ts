import { parse, YAMLParseError } from "yaml";
import { findFences, stripReasoning } from "./reply.js";
import { ReplyParseError } from "./json.js";

/** The YAML text of a reply: a ```yaml fence, else any fence, else the bare text (unparsed). */
export function yamlBlock(reply: string): string {
  const text = stripReasoning(reply);
  const fences = findFences(text);
  const fence = fences.find((f) => /^ya?ml\b/i.test(f.info)) ?? fences[0];
  return (fence ? fence.body : text).trim();
}

/** The YAML document in a reply, parsed to a mapping. */
export function extractYaml(reply: string): { text: string; value: Record<string, unknown> } {
  const yamlText = yamlBlock(reply);
  if (!yamlText) throw new ReplyParseError("the reply has no YAML");
  let value: unknown;
  try {
    value = parse(yamlText, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message.split("\n")[0] : (error as Error).message;
    throw new ReplyParseError(`invalid YAML: ${message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new ReplyParseError("the YAML must be a mapping of settings (key: value), not a scalar or a list");
  }
  return { text: `${yamlText}\n`, value: value as Record<string, unknown> };
}
