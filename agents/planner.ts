import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { askJson } from "../src/llm/ask.js";
import { prompt } from "../src/prompts.js";
import { renderPlan } from "../src/render/artifacts.js";
import { contextOf, type ContextPart } from "../src/llm/context.js";
import type { PaperToCodeState } from "../src/state.js";
import { writeArtifact } from "../src/workspace/writer.js";

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

export const PlanSchema = z.object({
  summary: z.string().min(1).describe("What the paper proposes and what the repository must reproduce, in a few sentences"),
  components: z
    .array(z.object({ name: z.string(), description: z.string() }))
    .min(1)
    .describe("Methods, models and algorithms to implement"),
  objectives: z.array(z.string()).describe("Losses, training objectives and optimisation targets, with their formulas"),
  dataProcessing: z.string().describe("Datasets, splits, preprocessing and batching as the paper states them"),
  evaluation: z.string().describe("Metrics, evaluation protocol and the experiments to reproduce"),
  hyperparameters: z
    .array(
      z.object({
        name: z.string(),
        value: Scalar,
        source: z.string().describe("Where the paper states it: section, table or equation"),
      }),
    )
    .describe("Every setting the paper states, with where it states it"),
  unclear: z.array(z.string()).describe("What the paper leaves unspecified or ambiguous"),
});
export type Plan = z.infer<typeof PlanSchema>;

/** What the planner (and its verifier and refiner) read besides the paper: nothing yet. */
export const PLANNER_CONTEXT: ContextPart[] = [];

/** Planner: reads the paper and writes the overall reproduction plan. */
export async function plannerNode(state: PaperToCodeState, config?: RunnableConfig) {
  const asked = await askJson(await modelFor(config), await contextOf(state, PLANNER_CONTEXT), prompt("planner"), PlanSchema, {
    agent: "planner",
    schemaName: "plan",
  });
  await writeArtifact(state.outDir!, "plan.md", renderPlan(asked.value));
  return { plan: asked.value, calls: asked.calls, notes: asked.repairs.map((r) => `planner re-asked: ${r}`) };
}
