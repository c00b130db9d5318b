import { MANAGED_FILES } from "../../src/nodes/plan-files.js";
import { implementationOrder } from "../../src/planning/order.js";
import { issue, type ReviewIssue } from "../../src/review/types.js";
import { writeArtifact } from "../../src/workspace/writer.js";
import type { Architecture } from "../architect/schema.js";
import { architectureStage } from "../architect/stage.js";
import { planStage } from "../planner/stage.js";
import { jsonPlanningStage } from "../stage.js";
import { renderLogic } from "./render.js";
import { LogicDesignReplySchema, LogicDesignSchema, type LogicDesign } from "./schema.js";

export { LogicDesignReplySchema, LogicDesignSchema, type LogicDesign } from "./schema.js";
export { renderLogic } from "./render.js";

export function checkLogic(logic: LogicDesign, architecture: Architecture): ReviewIssue[] {
  const issues: ReviewIssue[] = [];
  const planned = architecture.files.map((f) => f.path).filter((p) => !MANAGED_FILES.has(p));
  const known = new Set([...planned, ...logic.files.map((f) => f.path)]);
  for (const path of planned) {
    if (!logic.implementationOrder.includes(path))
      issues.push(
        issue("high", "implementationOrder", `${path} is missing from the implementation order`, `add ${path} after the files it imports`),
      );
    if (!logic.files.some((f) => f.path === path)) issues.push(issue("medium", path, `no logic is given for ${path}`));
  }
  for (const f of logic.files) {
    for (const dep of f.dependsOn) {
      if (!known.has(dep) && !MANAGED_FILES.has(dep))
        issues.push(
          issue("high", f.path, `${f.path} depends on ${dep}, which is not a file of the repository`, "depend only on planned files"),
        );
    }
  }
  const deps = Object.fromEntries(logic.files.map((f) => [f.path, f.dependsOn.filter((d) => known.has(d))]));
  const { brokenDependencies } = implementationOrder([...known], deps, logic.implementationOrder);
  for (const broken of brokenDependencies) {
    issues.push(
      issue(
        "high",
        broken.file,
        `dependency cycle through ${broken.file} -> ${broken.dependsOn}`,
        "remove one import of the cycle (move the shared code into its own file)",
      ),
    );
  }
  if (!known.has(logic.entrypoint)) issues.push(issue("high", "entrypoint", `the entry point ${logic.entrypoint} is not a planned file`));
  return issues;
}

export async function writeLogicArtifacts(outDir: string, logic: LogicDesign) {
  await writeArtifact(outDir, "logic.json", `${JSON.stringify(logic, null, 2)}\n`);
  await writeArtifact(outDir, "logic.md", renderLogic(logic));
}

/** Logic designer: each file's logic and dependencies, the implementation order and the packages. */
export const logicStage = jsonPlanningStage("logic", {
  node: "logic_designer",
  label: "the logic design",
  refine: { setting: "refineLogic", default: 1 },
  reads: [planStage.asContext!, architectureStage.asContext!],
  context: { title: "The logic design of every file", rank: 3 },
  json: { schema: LogicDesignSchema, reply: LogicDesignReplySchema, name: "logic_design", lists: { files: "path" } },
  render: renderLogic,
  write: writeLogicArtifacts,
  checks: (s, v) => checkLogic(v, s.architecture!),
});
