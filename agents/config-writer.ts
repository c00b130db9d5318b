import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { AgentOutputError } from "../src/errors.js";
import { askWithRepair, buildMessages } from "../src/llm/ask.js";
import type { ResolvedModel } from "../src/models/factory.js";
import { extractYaml, yamlBlock } from "../src/parsing/yaml.js";
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

export function parseConfigReply(text: string): ConfigArtifact {
  const { text: yaml, value } = extractYaml(text);
  return ConfigArtifactSchema.parse({ yaml, keys: flattenKeys(value), valid: true });
}

/** Ask for config.yaml (one re-ask on invalid YAML); keep unparseable text as an invalid artifact rather than fail the run. */
/** Ask for config.yaml (one re-ask on invalid YAML); `toYaml` reads the reply (a refiner's edits applied to the current file). */
export async function askConfig(model: ResolvedModel, context: SharedContext, task: string, agent: string, toYaml: (reply: string) => string = (r) => r) {
  try {
    return await askWithRepair(model, buildMessages(context, task), { agent }, (reply) => parseConfigReply(toYaml(reply)));
  } catch (error) {
    if (!(error instanceof AgentOutputError) || error.reply === undefined || !/YAML/.test(error.message)) throw error;
    let text = error.reply;
    try {
      text = toYaml(error.reply);
    } catch {
      /* edits that do not apply: keep the reply as it came */
    }
    const yaml = `${yamlBlock(text)}\n`;
    return {
      value: { yaml, keys: [], valid: false, error: error.message.replace(/^.*?: /, "") } as ConfigArtifact,
      calls: error.calls ?? [],
      repairs: [`config.yaml still invalid after a re-ask; kept for the verifier: ${error.message}`],
    };
  }
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
