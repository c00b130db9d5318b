import { z } from "zod";
import { normalizeFileList, normalizeRepoPath, validatedPaths } from "../../src/workspace/paths.js";

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

const normalizedPaths = (paths: string[]) =>
  validatedPaths(
    paths.map((path) => ({ path })),
    (p) => p.map(normalizeRepoPath),
  ).map((d) => d.path);

/** The logic designer's reply with every path normalised and confined. */
export const LogicDesignReplySchema = LogicDesignSchema.transform((design) => ({
  ...design,
  files: validatedPaths(design.files, normalizeFileList).map((f) => ({ ...f, dependsOn: normalizedPaths(f.dependsOn) })),
  implementationOrder: normalizedPaths(design.implementationOrder),
}));
