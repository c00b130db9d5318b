import type { RunnableConfig } from "@langchain/core/runnables";
import { modelFor } from "../src/configuration.js";
import { askJson, askWithRepair, buildMessages, type AskMeta, type Asked } from "../src/llm/ask.js";
import { contextOf, type SharedContext } from "../src/llm/context.js";
import type { CallRecord } from "../src/llm/usage.js";
import type { ResolvedModel } from "../src/models/factory.js";
import type { PaperToCodeUpdate } from "../src/state.js";
import { stateOf, type Reply, type ReviewedStage, type StageState } from "./stage.js";

/** Ask a model for a reply of `reply`'s kind (re-asked while it is unusable). */
export function askReply<T>(model: ResolvedModel, context: SharedContext, task: string, reply: Reply<T>, meta: AskMeta): Promise<Asked<T>> {
  if ("text" in reply) return askWithRepair(model, buildMessages(context, task), meta, reply.text);
  return askJson(model, context, task, reply.json, { ...meta, schemaName: reply.schemaName }, reply.accept ?? ((value) => value as T));
}

/** The call record's who: the agent, and the file when the stage is per file. */
export const metaOf = (agent: string, state: StageState): AskMeta => ({
  agent,
  ...(state.target ? { file: state.target } : {}),
  ...(state.priority !== undefined ? { priority: state.priority } : {}),
});

/** The agent's node: ask for the artifact, correct what a rule can, write it, put it in state. */
export function artifactNode<S extends StageState, T, U extends PaperToCodeUpdate>(stage: ReviewedStage<S, T, string, U>) {
  // The input is the state, or what `load` reads it from (a per-file task).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async (input: any, config?: RunnableConfig): Promise<U & { calls: CallRecord[]; notes: string[] }> => {
    const state = await stateOf(stage, input);
    const asked = await askReply(
      await modelFor(config),
      await contextOf(state, stage.reads),
      stage.task(state),
      stage.reply,
      metaOf(stage.node, state),
    );
    const { value, notes } = stage.accept ? stage.accept(asked.value, state) : { value: asked.value, notes: [] };
    await stage.write(state.outDir!, value, state);
    const where = state.target ? ` for ${state.target}` : "";
    return {
      ...stage.update(value, state),
      calls: asked.calls,
      notes: [...asked.reasks.map((r) => `${stage.title} re-asked${where}: ${r}`), ...notes],
    };
  };
}
