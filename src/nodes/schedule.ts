import type { RunnableConfig } from "@langchain/core/runnables";
import { concurrencyFrom } from "../configuration.js";
import type { PaperToCodeState } from "../state.js";

/**
 * The files to code next: not yet written, every dependency written, in
 * implementation order, at most `concurrency` at once. Empty when all are done.
 */
export function nextCodingTasks(state: Pick<PaperToCodeState, "files" | "code">, config?: RunnableConfig): string[] {
  const files = state.files ?? [];
  const pending = files.filter((f) => !state.code[f.path]);
  if (pending.length === 0) return [];
  const ready = pending.filter((f) => f.dependsOn.every((d) => state.code[d]));
  if (ready.length === 0) {
    throw new Error(`coding is stuck: ${pending.map((f) => f.path).join(", ")} wait on files that are never written`);
  }
  return ready.slice(0, concurrencyFrom(config)).map((f) => f.path);
}
