import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import type { RunnableConfig } from "@langchain/core/runnables";
import { costOf, hasPrice, priceTable } from "./prices.js";

/** The run would spend more than its --budget with the next call: it stops there, resumable. */
export class BudgetExceededError extends Error {
  constructor(
    readonly limitUsd: number,
    readonly spentUsd: number,
    readonly nextUsd: number,
  ) {
    super(
      `budget of $${limitUsd.toFixed(2)} reached: $${spentUsd.toFixed(4)} spent, the next call would cost about $${nextUsd.toFixed(4)}`,
    );
    this.name = "BudgetExceededError";
  }
}

/** Spent and reserved (calls in flight) per run, in this process. */
const ledgers = new Map<string, { spent: number; reserved: number }>();

/** Runs of this process that share one budget (a batch): its key, once set. */
let group: string | undefined;

/** Every run of this process from now on spends from one budget, which `spentUsd` was spent from already. */
export function useBudgetGroup(key: string, spentUsd: number): void {
  group = key;
  ledgers.set(key, { spent: spentUsd, reserved: 0 });
}

/** What the run had spent before this process (its checkpointed calls), so the budget covers the whole run. */
export function startBudget(threadId: string, spentUsd: number): void {
  if (group) return; // the group's ledger already counts what its runs spent
  ledgers.set(threadId, { spent: spentUsd, reserved: 0 });
}

/** Output tokens assumed for a call not yet made: the cap when one is set, else a long reply. */
const EXPECTED_OUTPUT = 4096;

/**
 * Before a model call: estimate its cost (the prompt's tokens, counted offline when needed, and
 * a long reply) and refuse it when spent + in flight + estimate exceeds the budget.
 * Returns what to call with the actual cost once the reply is in. No budget, or a
 * model without a known price: no check.
 */
export function reserveBudget(
  model: string,
  countPrompt: () => number,
  config: RunnableConfig | undefined = AsyncLocalStorageProviderSingleton.getRunnableConfig(),
) {
  const settings = (config?.configurable ?? {}) as { budgetUsd?: number; thread_id?: string; maxOutputTokens?: number };
  if (settings.budgetUsd === undefined || !settings.thread_id) return undefined;
  const table = priceTable();
  if (!hasPrice(model, table)) return undefined;
  const inputTokens = countPrompt();
  const outputTokens = Math.min(settings.maxOutputTokens ?? EXPECTED_OUTPUT, EXPECTED_OUTPUT);
  const estimate = costOf(model, { calls: 1, inputTokens, cachedInputTokens: 0, outputTokens, reasoningTokens: 0 }, table) ?? 0;
  const key = group ?? settings.thread_id;
  let ledger = ledgers.get(key);
  if (!ledger) ledgers.set(key, (ledger = { spent: 0, reserved: 0 }));
  if (ledger.spent + ledger.reserved + estimate > settings.budgetUsd) {
    throw new BudgetExceededError(settings.budgetUsd, ledger.spent, estimate);
  }
  ledger.reserved += estimate;
  const held = ledger;
  return (actualUsd: number | undefined) => {
    held.reserved -= estimate;
    held.spent += actualUsd ?? estimate;
  };
}
