import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { askWithRepair, buildMessages } from "../src/llm/ask.js";
import type { ResolvedModel } from "../src/models/factory.js";
import { ReplyParseError } from "../src/parsing/json.js";
import { extractYaml } from "../src/parsing/yaml.js";
import { prompt } from "../src/prompts.js";
import { contextOf, type ContextPart, type SharedContext } from "../src/llm/context.js";
import type { PaperToCodeState } from "../src/state.js";
import { writeArtifact } from "../src/workspace/writer.js";

/**
 * config.yaml as text (kept verbatim, comments and all) and the dotted keys it
 * defines. Text that still does not parse after a re-ask is kept with
 * valid=false: the verifier reports it and a refine round can fix it.
 */
export const ConfigArtifactSchema = z.object({
  yaml: z.string().min(1),
  keys: z.array(z.string()),
  valid: z.boolean(),
  error: z.string().optional(),
});
export type ConfigArtifact = z.infer<typeof ConfigArtifactSchema>;

/** Every dotted key of a parsed YAML mapping, e.g. training.optimizer.lr. */
export function flattenKeys(value: unknown, prefix = ""): string[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return prefix ? [prefix] : [];
  const keys: string[] = prefix ? [prefix] : [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    keys.push(...flattenKeys(v, prefix ? `${prefix}.${k}` : k));
  }
  return keys;
}

const KEY = /^[A-Za-z_][\w.-]*$/;

/**
 * Why a parsed document is not the config.yaml the stage asked for, if it is
 * not: a mapping of named settings (keys like `learning_rate`, not `a b` or
 * `steps: `), with at least one value, no key whose value is missing.
 */
export function configShapeProblem(value: Record<string, unknown>): string | undefined {
  const problems: string[] = [];
  let leaves = 0;
  const visit = (node: unknown, path: string) => {
    if (node && typeof node === "object" && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        const at = path ? `${path}.${k}` : k;
        if (!KEY.test(k)) problems.push(`the key ${JSON.stringify(at)} is not a setting's name`);
        if (v === null || v === undefined) problems.push(`${at} has no value`);
        else visit(v, at);
      }
    } else leaves++;
  };
  visit(value, "");
  if (leaves === 0) problems.push("it holds no setting");
  return problems.length ? `not a config.yaml of settings: ${problems.slice(0, 5).join("; ")}` : undefined;
}

export function parseConfigReply(text: string): ConfigArtifact {
  const { text: yaml, value } = extractYaml(text);
  const problem = configShapeProblem(value);
  if (problem) throw new ReplyParseError(problem);
  return ConfigArtifactSchema.parse({ yaml, keys: flattenKeys(value), valid: true });
}

/**
 * Ask for config.yaml; a reply that does not parse, or is not a mapping of
 * settings, is re-asked once with the reason and never written. `toYaml` reads
 * the reply (a refiner's edits applied to the current file).
 */
export async function askConfig(model: ResolvedModel, context: SharedContext, task: string, agent: string, toYaml: (reply: string) => string = (r) => r) {
  return askWithRepair(model, buildMessages(context, task), { agent }, (reply) => parseConfigReply(toYaml(reply)));
}

/** What the config writer (and its verifier and refiner) read besides the paper. */
export const CONFIG_CONTEXT: ContextPart[] = ["plan"];

export const configWriterTask = () => prompt("config-writer");

/** Config writer: config.yaml with the paper's settings, each traceable, nothing invented. */
export async function configWriterNode(state: PaperToCodeState, config?: RunnableConfig) {
  const asked = await askConfig(await modelFor(config), await contextOf(state, CONFIG_CONTEXT), configWriterTask(), "config_writer");
  await writeArtifact(state.outDir!, "config.yaml", asked.value.yaml);
  return { config: asked.value, calls: asked.calls, notes: asked.repairs.map((r) => `config writer re-asked: ${r}`) };
}
