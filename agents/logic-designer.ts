import type { RunnableConfig } from "@langchain/core/runnables";
import { z } from "zod";
import { modelFor } from "../src/configuration.js";
import { askJson } from "../src/llm/ask.js";
import { prompt } from "../src/prompts.js";
import { contextOf, type ContextPart } from "../src/llm/context.js";
import { renderLogic } from "../src/render/artifacts.js";
import type { PaperToCodeState } from "../src/state.js";
import { normalizeFileList, normalizeRepoPath } from "../src/workspace/paths.js";
import { writeArtifact } from "../src/workspace/writer.js";
import { validatedPaths } from "./shared.js";

export const LogicDesignSchema = z.object({
  files: z
    .array(
      z.object({
        path: z.string(),
        logic: z.string().describe("What the file implements, step by step, with the paper's formulas and settings"),
        dependsOn: z.array(z.string()).describe("Repository files this file imports"),
      }),
    )
    .min(1),
  implementationOrder: z.array(z.string()).describe("Files in the order to write them: dependencies first"),
  requiredPackages: z.array(z.string()).describe("pip requirement specifiers, e.g. torch>=2.1, numpy"),
  entrypoint: z.string().describe("The file that runs the experiments, e.g. main.py"),
  runCommand: z.string().describe("The shell command that runs the experiments, e.g. python main.py --config config.yaml"),
  sharedConventions: z.string().describe("Conventions all files share: config loading, device handling, seeding, logging, tensor shapes"),
});
export type LogicDesign = z.infer<typeof LogicDesignSchema>;

/** The logic designer's reply with every path normalised and confined. */
export const LogicDesignReplySchema = LogicDesignSchema.transform((design) => ({
    ...design,
    files: validatedPaths(design.files, normalizeFileList).map((f) => ({
      ...f,
      dependsOn: validatedPaths(f.dependsOn.map((path) => ({ path })), (p) => p.map(normalizeRepoPath)).map((d) => d.path),
    })),
    implementationOrder: validatedPaths(design.implementationOrder.map((path) => ({ path })), (p) => p.map(normalizeRepoPath)).map(
      (d) => d.path,
    ),
}));

/** What the logic designer (and its verifier and refiner) read besides the paper. */
export const LOGIC_CONTEXT: ContextPart[] = ["plan", "architecture"];

export const logicDesignerTask = () => prompt("logic-designer");

/** Logic designer: each file's logic and dependencies, the implementation order and the packages. */
export async function logicDesignerNode(state: PaperToCodeState, config?: RunnableConfig) {
  const asked = await askJson(await modelFor(config), await contextOf(state, LOGIC_CONTEXT), logicDesignerTask(), LogicDesignReplySchema, {
    agent: "logic_designer",
    schemaName: "logic_design",
  });
  await writeLogicArtifacts(state.outDir!, asked.value);
  return { logic: asked.value, calls: asked.calls, notes: asked.repairs.map((r) => `logic designer re-asked: ${r}`) };
}

export async function writeLogicArtifacts(outDir: string, logic: LogicDesign) {
  await writeArtifact(outDir, "logic.json", `${JSON.stringify(logic, null, 2)}\n`);
  await writeArtifact(outDir, "logic.md", renderLogic(logic));
}
