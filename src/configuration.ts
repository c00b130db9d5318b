import { Annotation } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createChatModel, loadProviderFor, type ResolvedModel } from "./models/factory.js";
import { RequestSlots } from "./llm/request-slots.js";
import { HOW_TO_CONFIGURE_A_MODEL, type ModelSettings, type ReasoningEffort, type StructuredOutputMode } from "./models/settings.js";
import { ExitCode, UserError } from "./errors.js";
import { modelSettingsOf } from "./settings.js";
import { parseStageList } from "./run-shape.js";

export { codersWaitForAnalyses, parseStageList, REPAIR_CODE_DEFAULT, type StageShape } from "./run-shape.js";

/**
 * The graph's configurable settings but the reviewed stages' refine rounds
 * (graphs/configuration.ts adds one per stage): what LangGraph Studio shows and
 * edits, and what the CLI fills from flags and the config file. API keys are
 * not here: they stay in the environment so they never reach a checkpoint.
 */
export const BaseConfigurationAnnotation = Annotation.Root({
  /** `provider:name`, e.g. openai:gpt-4.1, ollama:qwen2.5-coder:14b, anthropic:claude-sonnet-4-5. Falls back to PAPER2CODE_MODEL. */
  model: Annotation<string | undefined>,
  /** Base URL of an OpenAI-compatible server (vLLM, Ollama, OpenRouter, LM Studio). */
  baseUrl: Annotation<string | undefined>,
  /** Sampling temperature for non-reasoning models (default 0.2). */
  temperature: Annotation<number | undefined>,
  /** Effort for reasoning models such as o3-mini or gpt-5 (default medium). */
  reasoningEffort: Annotation<ReasoningEffort | undefined>,
  /** Client retries on 429, 5xx and connection errors, with backoff (default 4). */
  maxRetries: Annotation<number | undefined>,
  /** Per-request timeout in seconds (default 600). */
  timeoutSeconds: Annotation<number | undefined>,
  /** Cap on output tokens per call (default: the provider's). */
  maxOutputTokens: Annotation<number | undefined>,
  /** `auto` (JSON-schema mode on OpenAI itself, JSON in text elsewhere), `native` or `text`. */
  structuredOutput: Annotation<StructuredOutputMode | undefined>,
  /** How many model requests are in flight at once: files analysed or coded in parallel (default 4). */
  concurrency: Annotation<number | undefined>,
  /** `parallel` (each file as soon as its dependencies are written) or `sequential` (the reference implementation's order, one call at a time). */
  schedule: Annotation<"parallel" | "sequential" | undefined>,
  /** What the coder sees of other files: `scoped` (the code of its imports, the interfaces of theirs) or `full` (every earlier file, as the reference implementation). */
  context: Annotation<ContextMode | undefined>,
  /** Send the paper's appendix to the agents (default true; it is dropped part by part only when the paper exceeds paperTokenBudget). */
  includeAppendix: Annotation<boolean | undefined>,
  /** Most tokens of paper text sent to the agents; a longer paper is reduced deterministically, with a warning (default 120000, 24000 for local servers). */
  paperTokenBudget: Annotation<number | undefined>,
  /** Repair rounds after the static checks of the generated code (a coder call per failing file). Default 2. */
  repairCode: Annotation<number | undefined>,
  /** Folder under which a run without an explicit outDir writes `<thread_id>/` (default ./runs). */
  outputRoot: Annotation<string | undefined>,
  /** Requests per minute to the model, at most (a call waits for room; default: no limit). */
  rpm: Annotation<number | undefined>,
  /** Tokens per minute to the model, at most, prompts counted offline before the call (default: no limit). */
  tpm: Annotation<number | undefined>,
  /** Most US dollars the run may spend (from the price table); it stops, resumable, before a call that would go over. */
  budgetUsd: Annotation<number | undefined>,
  /** Stages to pause after for a person to approve or edit, comma-separated: plan, architecture, logic, config, analysis, or all. */
  review: Annotation<string | undefined>,
  /** Write report.html into the output folder when the run ends (default true; the CLI writes it itself, after run.json). */
  report: Annotation<boolean | undefined>,
  /** Folder where every model reply is kept as it arrives, so a resumed run never pays for a reply twice (the CLI uses <out>/.paper2code/calls). */
  callJournal: Annotation<string | undefined>,
  /** Set by a rewind: `<stage>@<id>`; that stage's model calls are made afresh instead of answered from the journal. */
  rewind: Annotation<string | undefined>,
});

/** The settings as nodes read them (a reviewed stage's rounds by its setting's name). */
export type Configuration = typeof BaseConfigurationAnnotation.State & Record<`refine${string}`, number | undefined>;

export function readConfiguration(config?: RunnableConfig): Configuration & { thread_id?: string } {
  return (config?.configurable ?? {}) as Configuration & { thread_id?: string };
}

export function modelSettingsFrom(config?: RunnableConfig, env: NodeJS.ProcessEnv = process.env): ModelSettings {
  const c = readConfiguration(config);
  const { schedule, concurrency } = settingsOf(config, env);
  return modelSettingsOf({ ...c, model: c.model ?? env.PAPER2CODE_MODEL }, c, {
    missing: HOW_TO_CONFIGURE_A_MODEL,
    maxConcurrency: schedule === "sequential" ? 1 : concurrency,
  });
}

const models = new Map<string, ResolvedModel>();

/**
 * The chat model for a node. Tests and embedders may pass a ready model as
 * `configurable.chatModel`; otherwise one is built (once per settings) from the configuration.
 */
export async function modelFor(config?: RunnableConfig): Promise<ResolvedModel> {
  const injected = (config?.configurable as { chatModel?: BaseChatModel } | undefined)?.chatModel;
  if (!injected) await loadProviderFor(modelSettingsFrom(config).model);
  return resolveModel(config, () => modelSettingsFrom(config));
}

/** The injected model, else the one built from `settings` (cached: one client, one request queue, per settings). */
export function resolveModel(config: RunnableConfig | undefined, settings: () => ModelSettings): ResolvedModel {
  const injected = (config?.configurable as { chatModel?: BaseChatModel } | undefined)?.chatModel;
  if (injected)
    return {
      chat: injected,
      provider: "injected",
      name: injected._llmType(),
      nativeStructuredOutput: false,
      maxRetries: 0,
      slots: new RequestSlots(),
    };
  const resolved = settings();
  const key = JSON.stringify(resolved);
  let model = models.get(key);
  if (!model) {
    model = createChatModel(resolved);
    models.set(key, model);
  }
  return model;
}

const LOCAL_PROVIDERS = /^(ollama|vllm|lmstudio|compat):/;

export type ContextMode = "scoped" | "full";

/**
 * A run's settings as the nodes use them, each resolved: what was given when it
 * is valid, else its default. The one reader of the configuration besides the
 * model's (modelSettingsFrom).
 */
export function settingsOf(config?: RunnableConfig, env: NodeJS.ProcessEnv = process.env) {
  const c = readConfiguration(config);
  const concurrency = c.concurrency ?? 4;
  const model = c.model ?? env.PAPER2CODE_MODEL ?? "";
  return {
    schedule: (c.schedule === "sequential" ? "sequential" : "parallel") as "parallel" | "sequential",
    /** What the coder sees of other files. */
    context: (c.context === "full" ? "full" : "scoped") as ContextMode,
    concurrency: Number.isInteger(concurrency) && concurrency >= 1 ? concurrency : 4,
    /** Most tokens of paper sent to the agents: less for local servers, whose context windows are smaller. */
    paperTokenBudget:
      c.paperTokenBudget && c.paperTokenBudget > 0 ? c.paperTokenBudget : LOCAL_PROVIDERS.test(model) || c.baseUrl ? 24_000 : 120_000,
    /** The bound on verify -> refine rounds of a stage: its setting, if a whole number >= 0, else the stage's default. */
    refineRounds(setting: string, fallback: number): number {
      const value = (c as Record<string, unknown>)[setting];
      return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
    },
    /** The stages a person reviews in this run, among `allowed`. */
    reviewed(allowed: readonly string[]): string[] {
      try {
        return parseStageList(c.review, allowed, "review");
      } catch (error) {
        throw new UserError((error as Error).message, ExitCode.usage);
      }
    },
  };
}
