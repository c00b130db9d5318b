import { z } from "zod";

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
