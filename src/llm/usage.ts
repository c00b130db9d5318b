import type { AIMessage } from "@langchain/core/messages";

/** One model call, as the provider reported it. */
export interface CallRecord {
  agent: string;
  file?: string;
  /** The pipeline stage of the node that made the call (plan, logic, analysis...), when it is not the agent's own name. */
  stage?: string;
  model: string;
  inputTokens: number;
  /** Of the input, read from the provider's prompt cache (OpenAI cached_tokens, Anthropic cache_read). */
  cachedInputTokens: number;
  /** Of the input, written to the provider's prompt cache (Anthropic cache_creation: billed above the input price). */
  cacheWriteInputTokens?: number;
  outputTokens: number;
  reasoningTokens: number;
  /** When the call began (ISO time): the report's timeline. */
  startedAt?: string;
  durationMs: number;
  /** Why this call was a re-ask, when it was one. */
  repairOf?: string;
  /** This call continued a reply cut off at the output token limit. */
  continuation?: boolean;
  /** What tolerant parsing absorbed in this call's reply (accepted without a re-ask). */
  tolerated?: string;
  /** Answered from the run's call journal: the reply was received earlier (e.g. before a crash) and not paid again. */
  replayed?: boolean;
}

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens?: number;
  outputTokens: number;
  reasoningTokens: number;
}

export function usageFromMessage(message: AIMessage): Omit<CallRecord, "agent" | "model" | "durationMs" | "startedAt"> {
  const usage = message.usage_metadata;
  const written = usage?.input_token_details?.cache_creation ?? 0;
  return {
    inputTokens: usage?.input_tokens ?? 0,
    cachedInputTokens: usage?.input_token_details?.cache_read ?? 0,
    ...(written ? { cacheWriteInputTokens: written } : {}),
    outputTokens: usage?.output_tokens ?? 0,
    reasoningTokens: usage?.output_token_details?.reasoning ?? 0,
  };
}

export function emptyTotals(): UsageTotals {
  return { calls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

export function addCall(totals: UsageTotals, call: CallRecord): UsageTotals {
  return {
    calls: totals.calls + 1,
    inputTokens: totals.inputTokens + call.inputTokens,
    cachedInputTokens: totals.cachedInputTokens + call.cachedInputTokens,
    ...(totals.cacheWriteInputTokens || call.cacheWriteInputTokens
      ? { cacheWriteInputTokens: (totals.cacheWriteInputTokens ?? 0) + (call.cacheWriteInputTokens ?? 0) }
      : {}),
    outputTokens: totals.outputTokens + call.outputTokens,
    reasoningTokens: totals.reasoningTokens + call.reasoningTokens,
  };
}

/** Totals per key (e.g. per agent), plus the grand total. */
export function summarizeCalls(calls: CallRecord[], key: (c: CallRecord) => string = (c) => c.agent) {
  const byKey: Record<string, UsageTotals> = {};
  let total = emptyTotals();
  for (const call of calls) {
    const k = key(call);
    byKey[k] = addCall(byKey[k] ?? emptyTotals(), call);
    total = addCall(total, call);
  }
  return { byKey, total };
}
