import { fetch as undiciFetch } from "undici";
import { ExitCode, UserError } from "../errors.js";
import { OPENAI_COMPATIBLE, parseModelSpec, type ModelSettings } from "./settings.js";

/** How long the check before a run waits for the model server. */
const CHECK_TIMEOUT_MS = 10_000;
const LOCAL = new Set(["ollama", "vllm", "lmstudio", "compat"]);

/** Where a model's server is, and the key it is asked with (as createChatModel resolves them). */
export function serverOf(
  settings: ModelSettings,
  env: NodeJS.ProcessEnv = process.env,
): { provider: string; name: string; url: string; headers: Record<string, string>; keyEnv?: string } {
  const { provider, name } = parseModelSpec(settings.model);
  if (provider === "anthropic") {
    const base = (settings.baseUrl ?? "https://api.anthropic.com").replace(/\/+$/, "");
    const key = env.ANTHROPIC_API_KEY;
    return {
      provider,
      name,
      url: `${base}/v1/models`,
      headers: { "anthropic-version": "2023-06-01", ...(key ? { "x-api-key": key } : {}) },
      keyEnv: "ANTHROPIC_API_KEY",
    };
  }
  const defaults = OPENAI_COMPATIBLE[provider] ?? {};
  const base = (
    settings.baseUrl ??
    (provider === "openai" ? env.OPENAI_BASE_URL : undefined) ??
    defaults.baseUrl ??
    "https://api.openai.com/v1"
  ).replace(/\/+$/, "");
  const key = (defaults.keyEnv ? env[defaults.keyEnv] : undefined) ?? (provider !== "openrouter" ? env.OPENAI_API_KEY : undefined);
  return {
    provider,
    name,
    url: `${base}/models`,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    keyEnv: defaults.keyEnv ?? "OPENAI_API_KEY",
  };
}

function hints(provider: string, name: string): string {
  switch (provider) {
    case "ollama":
      return `is Ollama running (\`ollama serve\`), and is the model pulled (\`ollama pull ${name}\`)? Another address: --base-url`;
    case "vllm":
      return `is vLLM serving (\`vllm serve ${name}\`) at that address? Another address: --base-url`;
    case "lmstudio":
      return "is LM Studio's server started? Another address: --base-url";
    case "compat":
      return "is the server running, and is --base-url its OpenAI-compatible address (ending in /v1)?";
    default:
      return "is the network up, and is --base-url (if any) right?";
  }
}

/**
 * Ask the model's server once, before the run starts, whether it is there: its
 * model listing, with a short timeout. Unreachable, or refusing the key: a
 * one-line reason with the URL and what to try, and no run is started (exit 5). A local
 * server that lists its models but not this one says which it serves. A server
 * without a listing (404) is taken as there.
 */
export async function checkModelServer(settings: ModelSettings, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { provider, name, url, headers, keyEnv } = serverOf(settings, env);
  let response: Response;
  try {
    response = (await undiciFetch(url, { headers, signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) })) as unknown as Response;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${CHECK_TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new UserError(`cannot reach the model server at ${url} (${why}): ${hints(provider, name)}`, ExitCode.model);
  }
  // 403 is not refused: a restricted key may lack the listing's permission and still chat.
  if (response.status === 401) {
    throw new UserError(`the model server at ${url} refused the key (401): is ${keyEnv} set to a valid key?`, ExitCode.model);
  }
  if (!response.ok || !LOCAL.has(provider)) return;
  const listing = (await response.json().catch(() => undefined)) as { data?: { id?: string }[]; models?: { name?: string }[] } | undefined;
  const served = [...(listing?.data ?? []).map((m) => m.id), ...(listing?.models ?? []).map((m) => m.name)].filter(
    (id): id is string => typeof id === "string",
  );
  if (served.length > 0 && !served.includes(name) && !served.some((id) => id.replace(/:latest$/, "") === name.replace(/:latest$/, ""))) {
    throw new UserError(
      `the model server at ${url} does not serve ${name} (it serves ${served.slice(0, 8).join(", ")}${served.length > 8 ? ", ..." : ""})${provider === "ollama" ? `: \`ollama pull ${name}\`` : ""}`,
      ExitCode.model,
    );
  }
}
