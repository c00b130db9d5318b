import { ChatAnthropic } from "@langchain/anthropic";
import { ChatOpenAI } from "@langchain/openai";
import { beforeAll, describe, expect, it } from "vitest";
import { modelSettingsFrom } from "../../src/configuration.js";
import { UserError } from "../../src/errors.js";
import { createChatModel, loadProviderFor } from "../../src/models/factory.js";
import { parseModelSpec } from "../../src/models/settings.js";

describe("model specs", () => {
  it.each([
    ["openai:gpt-4.1", "openai", "gpt-4.1"],
    ["ollama:qwen2.5-coder:14b", "ollama", "qwen2.5-coder:14b"],
    ["anthropic:claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5"],
    ["gpt-4.1", "openai", "gpt-4.1"],
    ["qwen2.5:7b", "compat", "qwen2.5:7b"],
  ])("%s -> %s / %s", (spec, provider, name) => {
    expect(parseModelSpec(spec)).toEqual({ provider, name });
  });
  it("rejects an unknown provider and an empty name", () => {
    expect(() => parseModelSpec("foo:bar baz")).toThrow(/unknown provider 'foo'/);
    expect(() => parseModelSpec("openai:")).toThrow(/model name/);
  });
});

describe("createChatModel", () => {
  // Anthropic's client is loaded on demand, as the CLI and the nodes do before they build a model.
  beforeAll(() => loadProviderFor("anthropic:claude-sonnet-4-5"));
  it("says exactly how to configure a model when there is none", () => {
    expect(() => modelSettingsFrom({ configurable: {} }, {})).toThrow(/--model openai:gpt-4.1/);
  });
  it("needs OPENAI_API_KEY for OpenAI itself, not for a local server", () => {
    expect(() => createChatModel({ model: "openai:gpt-4.1" }, {})).toThrow(/OPENAI_API_KEY/);
    const local = createChatModel({ model: "vllm:qwen", baseUrl: "http://127.0.0.1:8000/v1" }, {});
    expect(local.chat).toBeInstanceOf(ChatOpenAI);
    expect(local.nativeStructuredOutput).toBe(false);
  });
  it("uses reasoning effort for reasoning models and temperature for others", () => {
    const o3 = createChatModel({ model: "openai:o3-mini", reasoningEffort: "high" }, { OPENAI_API_KEY: "sk-test" }).chat as ChatOpenAI;
    expect(o3.reasoning).toEqual({ effort: "high" });
    expect(o3.temperature).toBeUndefined();
    const gpt = createChatModel({ model: "openai:gpt-4.1", temperature: 0.7 }, { OPENAI_API_KEY: "sk-test" });
    expect((gpt.chat as ChatOpenAI).temperature).toBe(0.7);
    expect(gpt.nativeStructuredOutput).toBe(true);
  });
  it("honours OPENAI_BASE_URL and the Ollama default address", () => {
    const viaEnv = createChatModel({ model: "openai:m" }, { OPENAI_BASE_URL: "http://127.0.0.1:9999/v1" }).chat as ChatOpenAI;
    expect(viaEnv.clientConfig.baseURL).toBe("http://127.0.0.1:9999/v1");
    const ollama = createChatModel({ model: "ollama:llama3" }, {}).chat as ChatOpenAI;
    expect(ollama.clientConfig.baseURL).toBe("http://127.0.0.1:11434/v1");
  });
  it("builds Anthropic models and asks for their key", () => {
    expect(() => createChatModel({ model: "anthropic:claude-sonnet-4-5" }, {})).toThrow(UserError);
    expect(createChatModel({ model: "anthropic:claude-sonnet-4-5" }, { ANTHROPIC_API_KEY: "k" }).chat).toBeInstanceOf(ChatAnthropic);
  });
});

describe("prompt caching", () => {
  it("marks the system message (shared text and paper) for Anthropic's cache, and leaves other providers' prompts as they are", async () => {
    const { withPromptCaching } = await import("../../src/llm/ask.js");
    const { HumanMessage, SystemMessage } = await import("@langchain/core/messages");
    const messages = [new SystemMessage("shared text and the paper"), new HumanMessage("# Task: write `model.py`")];
    const marked = withPromptCaching("anthropic", messages);
    expect(marked[0]!.content).toEqual([{ type: "text", text: "shared text and the paper", cache_control: { type: "ephemeral" } }]);
    expect(marked[1]).toBe(messages[1]);
    expect(withPromptCaching("openai", messages)).toBe(messages);
  });
});

describe("cache usage as providers report it", () => {
  it("reads Anthropic's cache reads and writes, and prices writes above and reads below the input price", async () => {
    const { AIMessage } = await import("@langchain/core/messages");
    const { usageFromMessage } = await import("../../src/llm/usage.js");
    const { costOf } = await import("../../src/llm/prices.js");
    const message = new AIMessage({
      content: "x",
      usage_metadata: {
        input_tokens: 10_000,
        output_tokens: 1000,
        total_tokens: 11_000,
        input_token_details: { cache_read: 6000, cache_creation: 3000 },
      },
    });
    const usage = usageFromMessage(message);
    expect(usage).toEqual({
      inputTokens: 10_000,
      cachedInputTokens: 6000,
      cacheWriteInputTokens: 3000,
      outputTokens: 1000,
      reasoningTokens: 0,
    });
    // claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million tokens.
    expect(costOf("anthropic:claude-sonnet-4-5", { calls: 1, ...usage })).toBeCloseTo(
      (1000 * 3 + 6000 * 0.3 + 3000 * 3.75 + 1000 * 15) / 1e6,
      12,
    );
  });
});
