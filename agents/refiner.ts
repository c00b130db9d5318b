import type { RunnableConfig } from "@langchain/core/runnables";
import { modelFor } from "../src/configuration.js";
import { AgentOutputError } from "../src/errors.js";
import { unlessUnusable } from "../src/llm/ask.js";
import { contextOf } from "../src/llm/context.js";
import { prompt } from "../src/prompts.js";
import type { ReviewIssue } from "../src/review/types.js";
import { writeArtifact } from "../src/workspace/writer.js";
import { stateOf, whereOf, type ReviewedStage } from "./stage.js";
import { askReply, metaOf } from "./stage-nodes.js";
import { renderIssues, reviewDir, reviewsOf, type ReviewState } from "./verifier.js";

/**
 * Refiner: the task of the agent that made the artifact, plus the current
 * artifact and the critique, asking for a corrected artifact in the same format.
 * The original task's heading is demoted so the request reads as a revision.
 */
export function refineTask(input: {
  stage: string;
  file?: string;
  instructions: string;
  current: string;
  critique: ReviewIssue[];
  format: string;
}): string {
  return prompt("refine", {
    what: input.file ? `${input.stage} of \`${input.file}\`` : input.stage,
    instructions: input.instructions.replace(/^# Task:/m, "## The original task:"),
    current: input.current,
    critique: renderIssues(input.critique),
    format: input.format,
  });
}

/** Refine node: the critique of the last round turned into a corrected artifact; before and after are kept. */
export function refineNode<S extends ReviewState>(stage: ReviewedStage<S>) {
  return async (input: S, runConfig?: RunnableConfig) => {
    const state = await stateOf(stage, input);
    const last = reviewsOf(state, stage).at(-1)!;
    const value = stage.get(state);
    const { patch } = stage;
    const task = refineTask({
      stage: stage.name,
      file: state.target,
      instructions: stage.task(state),
      current: patch.current(value),
      // The refiner fixes what blocks the artifact; low-severity points are left to the notes.
      critique: last.issues.filter((i) => i.severity !== "low"),
      format: patch.format,
    });
    const asked = await unlessUnusable(
      askReply(await modelFor(runConfig), await contextOf(state, stage.reads), task, patch.reply(value), metaOf("refiner", state)),
    );
    if (asked instanceof AgentOutputError) {
      // A refinement is an improvement, not a step the run needs: an unusable one leaves the artifact as it was.
      return {
        calls: asked.calls ?? [],
        notes: [`refiner for ${whereOf(stage, state)}: ${asked.message}; the artifact is kept as it was`],
      };
    }
    const dir = reviewDir(stage, state.target);
    await writeArtifact(state.outDir!, `${dir}/round-${last.round}-before.${patch.extension}`, patch.current(value));
    await writeArtifact(state.outDir!, `${dir}/round-${last.round}-after.${patch.extension}`, patch.current(asked.value));
    await stage.write(state.outDir!, asked.value, state);
    return {
      ...stage.update(asked.value, state),
      calls: asked.calls,
      notes: asked.reasks.map((r) => `refiner re-asked for ${stage.name}: ${r}`),
    };
  };
}
