import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { askWithRepair, buildMessages } from "../src/llm/ask.js";
import { extractYaml } from "../src/parsing/yaml.js";
import { prompt } from "../src/prompts.js";
import { renderPlan } from "../src/render/artifacts.js";
import { paperMarkdownOf, type PaperToCodeState } from "../src/state.js";
import { writeArtifact } from "../src/workspace/writer.js";

/** config.yaml as text (kept verbatim, comments and all) and the dotted keys it defines. */
export const ConfigArtifactSchema = z.object({
  yaml: z.string().min(1),
  keys: z.array(z.string()).min(1),
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
  return ConfigArtifactSchema.parse({ yaml, keys: flattenKeys(value) });
}

/** Config writer: config.yaml with the paper's settings, each traceable, nothing invented. */
export async function configWriterNode(state: PaperToCodeState, config?: RunnableConfig) {
  const paperMarkdown = await paperMarkdownOf(state);
  const task = prompt("config-writer", { plan: renderPlan(state.plan!) });
  const asked = await askWithRepair(modelFor(config), buildMessages(paperMarkdown, task), { agent: "config_writer" }, parseConfigReply);
  await writeArtifact(state.outDir!, "config.yaml", asked.value.yaml);
  return { config: asked.value, calls: asked.calls, notes: asked.repairs.map((r) => `config writer re-asked: ${r}`) };
}
