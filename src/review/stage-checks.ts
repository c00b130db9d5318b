import type { Analysis } from "../../agents/analyst.js";
import type { Architecture } from "../../agents/architect.js";
import type { ConfigArtifact } from "../../agents/config-writer.js";
import type { LogicDesign } from "../../agents/logic-designer.js";
import type { Plan } from "../../agents/planner.js";
import { parse } from "yaml";
import { MANAGED_FILES } from "../nodes/plan-files.js";
import { implementationOrder } from "../planning/order.js";
import type { ReviewIssue } from "./types.js";

/** Deterministic checks beside the verifier's critique: cheap, exact, and never skipped. */
const issue = (severity: ReviewIssue["severity"], location: string, problem: string, suggestion?: string): ReviewIssue => ({
  severity,
  location,
  problem,
  ...(suggestion ? { suggestion } : {}),
  source: "check",
});

export function checkPlan(plan: Plan): ReviewIssue[] {
  return plan.hyperparameters.length === 0
    ? [issue("medium", "hyperparameters", "the plan lists no hyperparameters", "list every setting the paper states, with its source")]
    : [];
}

export function checkArchitecture(architecture: Architecture): ReviewIssue[] {
  const code = architecture.files.filter((f) => !MANAGED_FILES.has(f.path));
  return code.length === 0 ? [issue("high", "files", "the architecture has no source file")] : [];
}

export function checkLogic(logic: LogicDesign, architecture: Architecture): ReviewIssue[] {
  const issues: ReviewIssue[] = [];
  const planned = architecture.files.map((f) => f.path).filter((p) => !MANAGED_FILES.has(p));
  const known = new Set([...planned, ...logic.files.map((f) => f.path)]);
  for (const path of planned) {
    if (!logic.implementationOrder.includes(path)) issues.push(issue("high", "implementationOrder", `${path} is missing from the implementation order`, `add ${path} after the files it imports`));
    if (!logic.files.some((f) => f.path === path)) issues.push(issue("medium", path, `no logic is given for ${path}`));
  }
  for (const f of logic.files) {
    for (const dep of f.dependsOn) {
      if (!known.has(dep) && !MANAGED_FILES.has(dep)) issues.push(issue("high", f.path, `${f.path} depends on ${dep}, which is not a file of the repository`, "depend only on planned files"));
    }
  }
  const deps = Object.fromEntries(logic.files.map((f) => [f.path, f.dependsOn.filter((d) => known.has(d))]));
  const { brokenDependencies } = implementationOrder([...known], deps, logic.implementationOrder);
  for (const broken of brokenDependencies) {
    issues.push(issue("high", broken.file, `dependency cycle through ${broken.file} -> ${broken.dependsOn}`, "remove one import of the cycle (move the shared code into its own file)"));
  }
  if (!known.has(logic.entrypoint)) issues.push(issue("high", "entrypoint", `the entry point ${logic.entrypoint} is not a planned file`));
  return issues;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Leaf values of a parsed YAML document, as strings, for matching the plan's values. */
function leafValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => leafValues(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => leafValues(v, out));
  else if (value !== null && value !== undefined) out.push(String(value));
  return out;
}

export function checkConfig(config: ConfigArtifact, plan: Plan): ReviewIssue[] {
  if (!config.valid) return [issue("high", "config.yaml", `config.yaml does not parse: ${config.error ?? "invalid YAML"}`, "write valid YAML")];
  const segments = new Set(config.keys.flatMap((k) => k.split(".").map(norm)));
  const values = new Set(leafValues(parse(config.yaml)).map((v) => norm(v)));
  const issues: ReviewIssue[] = [];
  for (const h of plan.hyperparameters) {
    const name = norm(h.name);
    const value = norm(String(h.value));
    const named = [...segments].some((s) => s === name || (s.length >= 4 && (s.includes(name) || name.includes(s))));
    if (!named && !values.has(value)) {
      issues.push(issue("high", "config.yaml", `the plan's hyperparameter ${h.name} = ${String(h.value)} (${h.source}) is not in config.yaml`, `add it with a comment citing ${h.source}`));
    }
  }
  return issues;
}

export function checkAnalysis(analysis: Analysis, config: ConfigArtifact, path: string): ReviewIssue[] {
  if (!config.valid) return [];
  const keys = new Set(config.keys);
  return analysis.configKeys
    .filter((k) => !keys.has(k))
    .map((k) => issue("high", path, `the analysis reads config key ${k}, which config.yaml does not have`, "use the keys config.yaml has"));
}
