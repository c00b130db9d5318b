import type { Analysis } from "../../agents/analyst.js";
import type { Architecture } from "../../agents/architect.js";
import type { ConfigArtifact } from "../../agents/config-writer.js";
import type { LogicDesign } from "../../agents/logic-designer.js";
import type { Plan } from "../../agents/planner.js";
import { parse } from "yaml";
import { MANAGED_FILES } from "../nodes/plan-files.js";
import { implementationOrder } from "../planning/order.js";
import { asNumber, mentionStates, numbersIn, sameNumber } from "../provenance/numbers.js";
import type { ProvenanceReport } from "../provenance/check.js";
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

/** Leaf values of a parsed YAML document (list elements one by one), the smoke overrides left out. */
function leafValues(value: unknown, out: unknown[] = [], top = true): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => leafValues(v, out, false));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (!(top && k === "smoke")) leafValues(v, out, false);
  }
  else if (value !== null && value !== undefined) out.push(value);
  return out;
}

/** Settings about the authors' runs rather than the method: an implementation does not configure them. */
const NOT_A_SETTING = /\b(gpus?|tpus?|hours?|days?|wall[- ]?clock|training time|run ?time|compute|hardware|flops|cost|memory|machines?|nodes?|cores?|accelerators?|chips?)\b/i;

/**
 * Every setting of the plan an implementation needs is in config.yaml, matched by
 * value and meaning rather than by spelling: "7-10 responses" is in `[7, 10]`,
 * 1e-4 in `0.0001`, "Adam" in `optimizer: adam`; the authors' compute (GPU hours,
 * hardware) is not a setting. A missing one is high severity.
 */
export function checkConfig(config: ConfigArtifact, plan: Plan): ReviewIssue[] {
  if (!config.valid) return [issue("high", "config.yaml", `config.yaml does not parse: ${config.error ?? "invalid YAML"}`, "write valid YAML")];
  const leaves = leafValues(parse(config.yaml));
  const numbers = leaves.flatMap((v) => (typeof v === "number" ? [v] : typeof v === "string" ? numbersIn(v).map((m) => m.value) : []));
  const words = new Set(leaves.filter((v): v is string => typeof v === "string").map(norm));
  const segments = new Set(config.keys.flatMap((k) => k.split(".").map(norm)));
  const issues: ReviewIssue[] = [];
  for (const h of plan.hyperparameters) {
    if (NOT_A_SETTING.test(h.name) || NOT_A_SETTING.test(String(h.value).replace(/^[\d.,\s]+/, ""))) continue;
    const stated = numbersIn(String(h.value));
    const found = stated.length
      ? stated.every((m) => numbers.some((n) => mentionStates(m, n) || sameNumber(m.value, n)))
      : words.has(norm(String(h.value))) || [...words].some((w) => w.length >= 3 && norm(String(h.value)).includes(w)) || segments.has(norm(String(h.value)));
    if (!found) {
      issues.push(issue("high", "config.yaml", `the plan's setting ${h.name} = ${String(h.value)} (${h.source}) is not in config.yaml`, `add it with a comment citing ${h.source}`));
    }
  }
  return issues;
}

/** Provenance problems as review issues: a value the paper states nowhere is high severity; a wrong citation is low. */
export function provenanceIssues(report: ProvenanceReport): ReviewIssue[] {
  return report.entries.flatMap((e): ReviewIssue[] => {
    const value = Array.isArray(e.value) ? `[${e.value.join(", ")}]` : String(e.value);
    if (e.status === "unsupported") {
      const numeric = (Array.isArray(e.value) ? e.value : [e.value]).some((v) => asNumber(v) !== undefined);
      return [
        issue(
          numeric ? "high" : "medium",
          `config.yaml: ${e.key}`,
          `${e.key} = ${value}${e.comment ? ` (commented "${e.comment}")` : ""}: ${e.note ?? "the paper does not state this value"}; an invented value?`,
          "use the value the paper states, or mark it `# not in the paper: implementer's choice` if the paper leaves it open",
        ),
      ];
    }
    if (e.status === "elsewhere" && e.cites.length > 0) {
      return [issue("low", `config.yaml: ${e.key}`, `${e.key} = ${value} cites ${e.cites.join(", ")}, but ${e.note}; the paper states it in ${e.foundAt}`, `cite ${e.foundAt}`)];
    }
    return [];
  });
}

export function checkAnalysis(analysis: Analysis, config: ConfigArtifact, path: string): ReviewIssue[] {
  if (!config.valid) return [];
  const keys = new Set(config.keys);
  return analysis.configKeys
    .filter((k) => !keys.has(k))
    .map((k) => issue("high", path, `the analysis reads config key ${k}, which config.yaml does not have`, "use the keys config.yaml has"));
}
