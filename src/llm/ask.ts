import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import { z } from "zod";
import { AgentOutputError } from "../errors.js";
import type { ResolvedModel } from "../models/factory.js";
import { readJson, ReplyParseError } from "../parsing/json.js";
import { findFences } from "../parsing/reply.js";
import { prompt } from "../prompts.js";
import { reserveBudget } from "./budget.js";
import { CallJournal } from "./journal.js";
import { callEvents, newCallId } from "./call-events.js";
import { callCost } from "./prices.js";
import { rateLimiterFor } from "./rate-limit.js";
import { promptTokens } from "../tokens.js";
import { systemBlocks, type SharedContext } from "./context.js";
import { usageFromMessage, type CallRecord } from "./usage.js";

export interface AskMeta {
  agent: string;
  file?: string;
  /** Served before lower ones when requests wait for a slot (a file on the critical path: src/workspace/design.ts). */
  priority?: number;
}

export interface Asked<T> {
  value: T;
  calls: CallRecord[];
  /** Problems that tolerant parsing could not absorb and a re-ask fixed (a "repair" is a coder's fix of code, not this). */
  reasks: string[];
}

export interface AskOptions<T> {
  /** Extra request options (JSON-schema mode), computed per attempt. */
  request?: () => Record<string, unknown>;
  /** A reply cut off at the output token limit is continued (code) rather than re-asked (JSON). */
  continueOnLength?: boolean;
  /** What tolerant parsing had to absorb in an accepted reply (prose around the block, a missing fence...). */
  toleratedOf?: (value: T) => string | undefined;
}

/** How many times a reply cut off at the output token limit is continued before it is re-asked. */
const MAX_CONTINUATIONS = 3;

/** The pieces of each system message built here, for providers whose caches need breakpoints. */
const SYSTEM_BLOCKS = new WeakMap<BaseMessage, string[]>();

/**
 * Every call opens with what the run's calls share, in one fixed order (the
 * team's rules, the paper, then the design artifacts the call needs: see
 * context.ts), so providers' prefix caches hit across agents; the call's own
 * material and task come last, in the user message.
 */
export function buildMessages(context: SharedContext | string, task: string, system = "system"): BaseMessage[] {
  const blocks = systemBlocks(prompt(system), context);
  const message = new SystemMessage(blocks.join(""));
  SYSTEM_BLOCKS.set(message, blocks);
  return [message, new HumanMessage(task)];
}

/**
 * Anthropic caches a prompt prefix only where it is told to: the system message
 * is sent as blocks, with cache_control after the paper (shared by every call)
 * and after the last design part (shared by the calls that need as much), so
 * calls after the first read them at the cached price. OpenAI-compatible
 * providers cache prefixes by themselves.
 */
export function withPromptCaching(provider: string, messages: BaseMessage[]): BaseMessage[] {
  if (provider !== "anthropic") return messages;
  return messages.map((message) => {
    if (message.getType() !== "system" || typeof message.content !== "string") return message;
    const blocks = SYSTEM_BLOCKS.get(message) ?? [message.content];
    const marked = new Set([0, blocks.length - 1]);
    return new SystemMessage({
      content: blocks.map((text, i) => ({
        type: "text" as const,
        text,
        ...(marked.has(i) ? { cache_control: { type: "ephemeral" as const } } : {}),
      })),
    });
  });
}

export function replyText(message: AIMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  return content
    .map((part) => (typeof part === "string" ? part : part.type === "text" ? String((part as { text?: string }).text ?? "") : ""))
    .join("");
}

/** A streamed reply whose connection was cut after the headers: the client's retries only cover the request itself. */
export function isCutStream(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const code = (error.cause as { code?: string } | undefined)?.code ?? "";
  return /^(terminated|other side closed)$/i.test(error.message) || /ECONNRESET|UND_ERR_SOCKET/.test(code);
}

/**
 * A request once sent is paid for: when the run is cancelled (a sibling task
 * failed, the budget stopped it) the reply is still awaited and journaled
 * rather than dropped, so a resumed run need not buy it again.
 */
const NEVER_ABORTED = new AbortController().signal;

async function invokeWithStreamRetry(model: ResolvedModel, messages: BaseMessage[], options: Record<string, unknown>): Promise<AIMessage> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await model.chat.invoke(messages, { ...options, signal: NEVER_ABORTED })) as AIMessage;
    } catch (error) {
      if (!isCutStream(error) || attempt >= model.maxRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

type CallKind = { repairOf?: string; continuation?: boolean };

async function invokeOnce(
  model: ResolvedModel,
  messages: BaseMessage[],
  meta: AskMeta,
  options: Record<string, unknown>,
  kind: CallKind = {},
): Promise<{ message: AIMessage; call: CallRecord; forget: () => void }> {
  const started = Date.now();
  const modelName = `${model.provider}:${model.name}`;
  messages = withPromptCaching(model.provider, messages);
  // The graph task this call runs in: its journal, its schedule, its node's stage.
  const config = AsyncLocalStorageProviderSingleton.getRunnableConfig();
  const journal = CallJournal.current(config);
  const key = journal?.key(modelName, messages, options);
  let message = key ? journal!.get(key) : undefined;
  const replayed = message !== undefined;
  let settle: ((costUsd: number | undefined) => void) | undefined;
  if (!message) {
    // Tokenizing a prompt with the paper in it is not free: once, and only for a rate limit or a budget.
    let tokens: number | undefined;
    const countPrompt = () => (tokens ??= promptTokens(messages));
    await rateLimiterFor(modelName)?.acquire(countPrompt());
    settle = reserveBudget(modelName, countPrompt, config);
    const inFlight = { id: newCallId(), agent: meta.agent, ...(meta.file ? { file: meta.file } : {}), startedAt: Date.now() };
    try {
      // The request waits for a slot; in flight from then on. Sequential runs keep their order (one slot, first come first served).
      const schedule = (config?.configurable as { schedule?: string } | undefined)?.schedule;
      const priority = schedule === "sequential" ? 0 : (meta.priority ?? 0);
      message = await model.slots.run(async () => {
        inFlight.startedAt = Date.now();
        callEvents.emit("start", inFlight);
        try {
          return await invokeWithStreamRetry(model, messages, options);
        } finally {
          callEvents.emit("end", inFlight);
        }
      }, priority);
    } catch (error) {
      settle?.(0);
      throw error;
    }
    if (key) journal!.put(key, message);
  }
  // The node's stage (graphs/ declares it in each node's metadata): what a verifier or refiner call was about.
  const stage = config?.metadata?.stage as string | undefined;
  const call: CallRecord = {
    agent: meta.agent,
    ...(meta.file ? { file: meta.file } : {}),
    ...(stage && stage !== meta.agent ? { stage } : {}),
    model: modelName,
    ...usageFromMessage(message),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    ...(kind.repairOf ? { repairOf: kind.repairOf } : {}),
    ...(kind.continuation ? { continuation: true } : {}),
    ...(replayed ? { replayed } : {}),
  };
  settle?.(callCost(call));
  return { message, call, forget: () => (key ? journal!.forget([key]) : undefined) };
}

const endedByLength = (message: AIMessage) =>
  message.response_metadata?.finish_reason === "length" || message.response_metadata?.stop_reason === "max_tokens";

/** Why a reply cannot be used as it stands, from how the provider ended it. */
function stopProblem(message: AIMessage): string | undefined {
  const meta = message.response_metadata ?? {};
  const refusal = (message.additional_kwargs as { refusal?: string } | undefined)?.refusal;
  if (meta.finish_reason === "content_filter" || meta.stop_reason === "refusal" || refusal) {
    return `the provider's content filter stopped the reply${refusal ? ` (${refusal})` : ""}; answer the task as asked, about the paper's method only`;
  }
  if (endedByLength(message)) {
    return "the reply was cut off at the output token limit; answer more concisely";
  }
  return undefined;
}

/** Join a continuation to the text so far; a model that reopens the code block it was in gets the fence dropped. */
export function joinContinuation(sofar: string, piece: string): string {
  const insideFence = findFences(sofar).at(-1)?.closed === false;
  if (insideFence) piece = piece.replace(/^\s*(`{3,}|~{3,})[^\n]*\n/, "");
  return sofar + piece;
}

/**
 * Ask, parse, and when the reply cannot be used, ask once more with the reason.
 * `parse` throws ReplyParseError or a ZodError for an unusable reply. A reply
 * cut off at the output token limit is continued (`continueOnLength`) or re-asked;
 * one stopped by a content filter is re-asked; neither is ever used as it is.
 */
export async function askWithRepair<T>(
  model: ResolvedModel,
  messages: BaseMessage[],
  meta: AskMeta,
  parse: (text: string) => T,
  options: AskOptions<T> = {},
): Promise<Asked<T>> {
  const calls: CallRecord[] = [];
  const reasks: string[] = [];
  const forgets: (() => void)[] = [];
  const request = options.request ?? (() => ({}));
  const ask = async (conversation: BaseMessage[], kind: CallKind) => {
    let invoked;
    try {
      invoked = await invokeOnce(model, conversation, meta, request(), kind);
    } catch (error) {
      // The client parses JSON-schema replies itself; a server that ignored the schema makes that throw.
      if (!(error instanceof SyntaxError) || !model.nativeStructuredOutput) throw error;
      model.nativeStructuredOutput = false;
      reasks.push(`the server did not honour JSON-schema output (${error.message}); switched to JSON in text`);
      invoked = await invokeOnce(model, conversation, meta, request(), { ...kind, repairOf: reasks.at(-1) });
    }
    calls.push(invoked.call);
    forgets.push(invoked.forget);
    return invoked.message;
  };
  let conversation = messages;
  for (let attempt = 0; attempt < 2; attempt++) {
    let message = await ask(conversation, { repairOf: reasks.at(-1) });
    let text = replyText(message);
    for (let n = 0; options.continueOnLength && endedByLength(message) && n < MAX_CONTINUATIONS; n++) {
      message = await ask([...conversation, new AIMessage(text), new HumanMessage(prompt("continue"))], { continuation: true });
      text = joinContinuation(text, replyText(message));
    }
    let problem: string;
    try {
      const stopped = stopProblem(message);
      if (stopped) throw new ReplyParseError(stopped);
      const value = parse(text);
      const tolerated = options.toleratedOf?.(value);
      if (tolerated) calls.at(-1)!.tolerated = tolerated;
      return { value, calls, reasks };
    } catch (error) {
      if (!(error instanceof ReplyParseError) && !(error instanceof z.ZodError)) throw error;
      problem = error instanceof z.ZodError ? describeZodError(error) : error.message;
      if (attempt === 1) {
        for (const f of forgets) f();
        throw new AgentOutputError(meta.agent, `unusable reply after a re-ask: ${problem}`, text, calls);
      }
    }
    reasks.push(problem);
    conversation = [...messages, new AIMessage(text), new HumanMessage(prompt("repair", { problem }))];
  }
  throw new Error("unreachable");
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

/** A reply schema as JSON Schema and as its text, converted once per schema (every analyst and verifier asks with the same one). */
const jsonSchemas = new WeakMap<z.ZodType, { schema: unknown; text: string }>();
function jsonSchemaOf(schema: z.ZodType): { schema: unknown; text: string } {
  let converted = jsonSchemas.get(schema);
  if (!converted) {
    const json = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" });
    converted = { schema: json, text: JSON.stringify(json) };
    jsonSchemas.set(schema, converted);
  }
  return converted;
}

/**
 * Ask for a JSON object validated by `schema`, using the provider's JSON-schema mode when it has one.
 * `finish` turns the validated reply into the result (a refiner's patch merged into its artifact); what it throws is re-asked too.
 */
export async function askJson<S extends z.ZodType, R = z.infer<S>>(
  model: ResolvedModel,
  context: SharedContext | string,
  task: string,
  schema: S,
  meta: AskMeta & { schemaName: string; /** The system prompt's file (default: the team's). */ system?: string },
  finish: (value: z.infer<S>) => R = (value) => value as R,
): Promise<Asked<R>> {
  const { schema: jsonSchema, text: schemaText } = jsonSchemaOf(schema);
  const fullTask = `${task}\n\n${prompt("json-reply", { schema: schemaText })}`;
  // strict: false because OpenAI's strict mode rejects optional fields and open objects.
  const options = () =>
    model.nativeStructuredOutput
      ? {
          response_format: { type: "json_schema", json_schema: { name: meta.schemaName, schema: jsonSchema, strict: false } },
          strict: false,
        }
      : {};
  const parse = (text: string) => {
    const read = readJson(text);
    return { value: finish(schema.parse(read.value) as z.infer<S>), tolerated: read.tolerated };
  };
  const asked = await askWithRepair(model, buildMessages(context, fullTask, meta.system), meta, parse, {
    request: options,
    toleratedOf: (v) => v.tolerated,
  });
  return { ...asked, value: asked.value.value };
}

/**
 * For a step the run can do without (a refinement, a debugging round, one judge
 * sample): an unusable reply, after its re-asks, comes back as its error, with
 * the calls it cost, instead of stopping the run. Any other error is thrown.
 */
export async function unlessUnusable<T>(asking: Promise<Asked<T>>): Promise<Asked<T> | AgentOutputError> {
  try {
    return await asking;
  } catch (error) {
    if (error instanceof AgentOutputError) return error;
    throw error;
  }
}
