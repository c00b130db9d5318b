import { MANAGED_FILES } from "../../src/nodes/plan-files.js";
import { issue, type ReviewIssue } from "../../src/review/types.js";
import { planStage } from "../planner/stage.js";
import { jsonPlanningStage } from "../stage.js";
import { renderArchitecture } from "./render.js";
import { ArchitectureReplySchema, ArchitectureSchema, type Architecture } from "./schema.js";

export { ArchitectureReplySchema, ArchitectureSchema, stripMermaidFence, type Architecture } from "./schema.js";
export { renderArchitecture } from "./render.js";

export function checkArchitecture(architecture: Architecture): ReviewIssue[] {
  const code = architecture.files.filter((f) => !MANAGED_FILES.has(f.path));
  return code.length === 0 ? [issue("high", "files", "the architecture has no source file")] : [];
}

/** Architect: turns the plan into a file list and Mermaid class and sequence diagrams. */
export const architectureStage = jsonPlanningStage("architecture", {
  node: "architect",
  label: "the architecture",
  refine: { setting: "refineArchitecture", default: 1 },
  reads: [planStage.asContext!],
  context: { title: "The architecture: files, class diagram and sequence diagram", rank: 2 },
  json: { schema: ArchitectureSchema, reply: ArchitectureReplySchema, name: "architecture", lists: { files: "path" } },
  render: renderArchitecture,
  checks: (_, v) => checkArchitecture(v),
});
