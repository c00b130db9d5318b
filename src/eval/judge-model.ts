import { loadProviderFor } from "../models/factory.js";
import type { RunnableConfig } from "@langchain/core/runnables";
import { resolveModel } from "../configuration.js";
import { modelSettingsOf } from "../settings.js";
import type { ResolvedModel } from "../models/factory.js";
import type { ModelSettings } from "../models/settings.js";
import { EVAL_DEFAULTS, type EvalConfiguration } from "./state.js";

export const HOW_TO_CHOOSE_A_JUDGE = [
  "no judge model configured. The judge is chosen apart from the model that wrote the code:",
  "  --judge-model openai:o3-mini     (with OPENAI_API_KEY set)",
  "  --judge-model anthropic:claude-sonnet-4-5",
  "  --judge-model vllm:<served-model> --judge-base-url http://HOST:8000/v1",
  "or write `judgeModel: ...` in paper2code.yaml, or set PAPER2CODE_JUDGE_MODEL.",
].join("\n");

export function readEvalConfiguration(config?: RunnableConfig): EvalConfiguration & { thread_id?: string } {
  return (config?.configurable ?? {}) as EvalConfiguration & { thread_id?: string };
}

export function judgeSettingsFrom(config?: RunnableConfig, env: NodeJS.ProcessEnv = process.env): ModelSettings {
  const c = readEvalConfiguration(config);
  const concurrency = c.concurrency ?? 4;
  const choice = {
    model: c.judgeModel ?? env.PAPER2CODE_JUDGE_MODEL,
    baseUrl: c.judgeBaseUrl,
    temperature: c.temperature ?? EVAL_DEFAULTS.temperature,
    reasoningEffort: c.reasoningEffort,
  };
  return modelSettingsOf(choice, c, {
    missing: HOW_TO_CHOOSE_A_JUDGE,
    maxConcurrency: Number.isInteger(concurrency) && concurrency >= 1 ? concurrency : 4,
  });
}

/** The judge's chat model (a test may inject one as `configurable.chatModel`). */
export async function judgeFor(config?: RunnableConfig): Promise<ResolvedModel> {
  const injected = (config?.configurable as { chatModel?: unknown } | undefined)?.chatModel;
  if (!injected) await loadProviderFor(judgeSettingsFrom(config).model);
  return resolveModel(config, () => judgeSettingsFrom(config));
}

/** A positive whole-number setting, else its default. */
export function evalSetting(
  config: RunnableConfig | undefined,
  key: "samples" | "codeTokenBudget" | "leafTokenBudget" | "paperTokenBudget",
): number {
  const value = readEvalConfiguration(config)[key];
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : EVAL_DEFAULTS[key];
}
