import { z } from "zod";

export const AnalysisSchema = z.object({
  purpose: z.string().describe("What this file is for, in one or two sentences"),
  inputs: z.array(z.string()).describe("What the file receives: arguments, tensors with shapes, config keys, files read"),
  outputs: z.array(z.string()).describe("What it returns, writes or logs"),
  interfaces: z
    .array(z.object({ name: z.string(), signature: z.string(), description: z.string() }))
    .describe("Classes and functions it defines for other files, with exact signatures"),
  usesFromOtherFiles: z.array(z.string()).describe("Names it imports from other repository files, as module.name"),
  algorithm: z.array(z.string()).describe("The steps it implements, with the paper's equations"),
  paperConstraints: z.array(z.string()).describe("Details the paper fixes that the code must respect, each with where the paper says it"),
  configKeys: z.array(z.string()).describe("Dotted config.yaml keys this file reads"),
  unclear: z.array(z.string()).describe("What the paper leaves open for this file, and the choice to make"),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
