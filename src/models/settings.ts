import { editDistance } from "../parsing/nearest.js";
import { ExitCode, UserError } from "../errors.js";

export type ReasoningEffort = "minimal" | "low" | "medium" | "high";
export type StructuredOutputMode = "auto" | "native" | "text";

/** Everything needed to build a chat model. API keys are never part of it: they stay in the environment. */
export interface ModelSettings {
  /** `provider:name`, e.g. `openai:gpt-4.1`, `ollama:qwen2.5-coder:14b`, `anthropic:claude-sonnet-4-5`. */
  model: string;
  baseUrl?: string;
  temperature?: number;
  reasoningEffort?: ReasoningEffort;
  maxRetries?: number;
  timeoutSeconds?: number;
  maxOutputTokens?: number;
  structuredOutput?: StructuredOutputMode;
  /** Requests in flight at once to this model, across all nodes of the process. */
  maxConcurrency?: number;
}

/** Providers reachable through the OpenAI-compatible client, with their usual local addresses. */
export const OPENAI_COMPATIBLE: Record<string, { baseUrl?: string; keyEnv?: string }> = {
  openai: { keyEnv: "OPENAI_API_KEY" },
  compat: {},
  ollama: { baseUrl: "http://127.0.0.1:11434/v1" },
  vllm: { baseUrl: "http://127.0.0.1:8000/v1" },
  lmstudio: { baseUrl: "http://127.0.0.1:1234/v1" },
  openrouter: { baseUrl: "https://openrouter.ai/api/v1", keyEnv: "OPENROUTER_API_KEY" },
};
export const PROVIDERS = [...Object.keys(OPENAI_COMPATIBLE), "anthropic"];

export const HOW_TO_CONFIGURE_A_MODEL = [
  "no model configured. Choose one of:",
  "  --model openai:gpt-4.1            (with OPENAI_API_KEY set)",
  "  --model anthropic:claude-sonnet-4-5 (with ANTHROPIC_API_KEY set)",
  "  --model ollama:qwen2.5-coder:14b  (a local Ollama; --base-url to change http://127.0.0.1:11434/v1)",
  "  --model vllm:<served-model> --base-url http://HOST:8000/v1",
  "or write `model: openai:gpt-4.1` in paper2code.yaml (or the file given with --config), or set PAPER2CODE_MODEL.",
].join("\n");

/** An Ollama tag after a bare model name (llama3:8b, llava:13b-v1.6, qwen2.5:latest), which is no provider typo. */
const OLLAMA_TAG = /^(latest|\d+(\.\d+)?[bkm]?([-_.][\w.]+)?)$/i;

/** The known provider a prefix is a likely misspelling of (opneai, olama, antropic), if any. */
function nearestProvider(prefix: string): string | undefined {
  for (const provider of PROVIDERS) {
    const allowed = provider.length <= 4 ? 1 : 2;
    if (editDistance(prefix, provider) <= allowed) return provider;
  }
  return undefined;
}

export function parseModelSpec(spec: string): { provider: string; name: string } {
  const trimmed = spec.trim();
  if (!trimmed) throw new UserError(HOW_TO_CONFIGURE_A_MODEL, ExitCode.usage);
  const colon = trimmed.indexOf(":");
  const maybeProvider = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : "";
  if (PROVIDERS.includes(maybeProvider)) {
    const name = trimmed.slice(colon + 1);
    if (!name) throw new UserError(`--model ${spec}: the model name after '${maybeProvider}:' is missing`, ExitCode.usage);
    return { provider: maybeProvider, name };
  }
  const near = colon > 0 ? nearestProvider(maybeProvider) : undefined;
  if (near && !OLLAMA_TAG.test(trimmed.slice(colon + 1))) {
    throw new UserError(
      `--model ${spec}: unknown provider '${maybeProvider}' (did you mean '${near}'? known: ${PROVIDERS.join(", ")})`,
      ExitCode.usage,
    );
  }
  if (colon > 0 && !/^[\w.-]+:[\w.-]+$/.test(trimmed)) {
    throw new UserError(`--model ${spec}: unknown provider '${maybeProvider}' (known: ${PROVIDERS.join(", ")})`, ExitCode.usage);
  }
  // A bare name (or an Ollama-style tag such as qwen2.5:7b without a provider) goes to the OpenAI-compatible client.
  return { provider: colon > 0 && !PROVIDERS.includes(maybeProvider) ? "compat" : "openai", name: trimmed };
}

/** Reasoning models take an effort and reject a temperature. */
export function isReasoningModel(name: string): boolean {
  return /^o\d/.test(name) || (name.startsWith("gpt-5") && !name.startsWith("gpt-5-chat"));
}

export function describeModel(settings: ModelSettings): string {
  return settings.baseUrl ? `${settings.model} @ ${settings.baseUrl}` : settings.model;
}
