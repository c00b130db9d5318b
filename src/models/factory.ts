import { RequestSlots } from "../llm/request-slots.js";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AsyncCaller, classifyRateLimitError } from "@langchain/core/utils/async_caller";
import { ChatOpenAI } from "@langchain/openai";
import { ExitCode, UserError } from "../errors.js";
import { Agent, fetch as undiciFetch } from "undici";
import { guardedFetch } from "./guarded-fetch.js";
import { isReasoningModel, OPENAI_COMPATIBLE, parseModelSpec, type ModelSettings } from "./settings.js";

export interface ResolvedModel {
  chat: BaseChatModel;
  provider: string;
  name: string;
  /** Whether to ask the provider for JSON-schema constrained output. */
  nativeStructuredOutput: boolean;
  /** Retries after a failed request (the client's own, and ours for a stream cut mid-reply). */
  maxRetries: number;
  /**
   * The model's request slots (the run's --concurrency): a freed slot goes to the waiting request
   * of highest priority, so that the files on the critical path are not held behind the others.
   */
  slots: RequestSlots;
}

const slotsFor = (settings: ModelSettings) => new RequestSlots(settings.maxConcurrency);

// The library's default handler is not exported; a fresh caller carries it.
const defaultFailedAttempt = (new AsyncCaller({}) as unknown as { onFailedAttempt?: (error: unknown) => unknown }).onFailedAttempt;

/** Longest Retry-After a call waits for before giving up on the provider. */
const MAX_RETRY_AFTER_MS = 120_000;

/**
 * What to do after a failed attempt (the client then backs off exponentially and tries again):
 * - a reply that JSON-schema mode could not parse: stop (a re-ask with the reason, or a switch to
 *   JSON in text, fixes that; the same request again does not);
 * - 429: wait as long as Retry-After says (up to two minutes), then retry; without the header,
 *   retry with backoff (the library's default gives up at once); an exhausted quota stops;
 * - anything else: the library's default (5xx and connection errors retried, other 4xx not).
 */
async function onFailedAttempt(error: unknown) {
  if (error instanceof SyntaxError) throw error;
  const rateLimit = classifyRateLimitError(error);
  if (rateLimit && rateLimit.action !== "stop") {
    const wait = rateLimit.retryAfterMs;
    if (wait !== undefined && wait > MAX_RETRY_AFTER_MS) throw error;
    if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
    return;
  }
  return defaultFailedAttempt?.(error);
}

/** Anthropic's client, loaded only for runs that use it (it costs a tenth of a second to load). */
let anthropic: typeof import("@langchain/anthropic") | undefined;

/** Load the client library a model spec needs; call before createChatModel (the CLI and the graph modules do). */
export async function loadProviderFor(spec: string | undefined): Promise<void> {
  if (spec?.startsWith("anthropic:") && !anthropic) anthropic = await import("@langchain/anthropic");
}

/**
 * The HTTP client of one model: undici's fetch with a dispatcher whose header and
 * body timeouts follow --timeout. Node's own fetch gives up on a response whose
 * headers take more than 300 s, whatever the client's timeout, and the client then
 * asks again: a slow model would be asked, and paid, twice. The client's own
 * timeout (slightly shorter) stays the one that decides.
 */
function httpFetch(timeoutMs: number): typeof globalThis.fetch {
  const dispatcher = new Agent({ headersTimeout: timeoutMs + 5000, bodyTimeout: timeoutMs + 5000 });
  const fetch = (input: Parameters<typeof globalThis.fetch>[0], init?: Parameters<typeof globalThis.fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>;
  return guardedFetch(fetch as typeof globalThis.fetch);
}

/** Build the chat model for `settings`; keys come from the environment. */
export function createChatModel(settings: ModelSettings, env: NodeJS.ProcessEnv = process.env): ResolvedModel {
  const { provider, name } = parseModelSpec(settings.model);
  const maxRetries = settings.maxRetries ?? 4;
  const timeout = (settings.timeoutSeconds ?? 600) * 1000;
  const reasoning = isReasoningModel(name);

  if (provider === "anthropic") {
    const apiKey = env.ANTHROPIC_API_KEY;
    if (!apiKey && !settings.baseUrl) {
      throw new UserError("model anthropic:" + name + " needs ANTHROPIC_API_KEY in the environment", ExitCode.usage);
    }
    if (!anthropic) throw new Error("paper2code: the Anthropic client is not loaded (loadProviderFor was not called)");
    const chat = new anthropic.ChatAnthropic({
      model: name,
      apiKey: apiKey ?? "not-needed",
      anthropicApiUrl: settings.baseUrl,
      temperature: settings.temperature ?? 0.2,
      maxRetries,
      maxConcurrency: settings.maxConcurrency,
      onFailedAttempt,
      maxTokens: settings.maxOutputTokens ?? 16384,
      clientOptions: { timeout, fetch: httpFetch(timeout) },
    });
    return { chat, provider, name, nativeStructuredOutput: false, maxRetries, slots: slotsFor(settings) };
  }

  const defaults = OPENAI_COMPATIBLE[provider] ?? {};
  const baseUrl = settings.baseUrl ?? (provider === "openai" ? env.OPENAI_BASE_URL : undefined) ?? defaults.baseUrl;
  const keyEnv = defaults.keyEnv;
  let apiKey = keyEnv ? env[keyEnv] : undefined;
  if (!apiKey && provider !== "openrouter") apiKey = env.OPENAI_API_KEY;
  if (!apiKey) {
    if (!baseUrl || provider === "openrouter") {
      throw new UserError(
        `model ${settings.model} needs ${keyEnv ?? "OPENAI_API_KEY"} in the environment (or --base-url for a local OpenAI-compatible server)`,
        ExitCode.usage,
      );
    }
    apiKey = "not-needed"; // local servers (vLLM, Ollama, LM Studio) accept any key
  }
  const chat = new ChatOpenAI({
    model: name,
    apiKey,
    configuration: { ...(baseUrl ? { baseURL: baseUrl } : {}), fetch: httpFetch(timeout) },
    maxRetries,
    timeout,
    maxConcurrency: settings.maxConcurrency,
    onFailedAttempt,
    ...(reasoning ? { reasoning: { effort: settings.reasoningEffort ?? "medium" } } : { temperature: settings.temperature ?? 0.2 }),
    ...(settings.maxOutputTokens ? { maxTokens: settings.maxOutputTokens } : {}),
  });
  const mode = settings.structuredOutput ?? "auto";
  const native = mode === "native" || (mode === "auto" && provider === "openai" && !baseUrl);
  return { chat, provider, name, nativeStructuredOutput: native, maxRetries, slots: slotsFor(settings) };
}
