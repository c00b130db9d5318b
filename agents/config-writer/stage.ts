import { parse } from "yaml";
import { ReplyParseError } from "../../src/parsing/json.js";
import { extractYaml } from "../../src/parsing/yaml.js";
import type { ProvenanceReport } from "../../src/provenance/check.js";
import { asNumber, mentionStates, numbersIn, sameNumber } from "../../src/provenance/numbers.js";
import { provenanceOfRun } from "../../src/provenance/of-run.js";
import { applyConfigReply, CONFIG_EDIT_FORMAT } from "../../src/review/patch.js";
import { issue, type ReviewIssue } from "../../src/review/types.js";
import type { PaperToCodeState } from "../../src/state.js";
import { writeArtifact } from "../../src/workspace/writer.js";
import type { Plan } from "../planner/schema.js";
import { planStage } from "../planner/stage.js";
import { planningStage } from "../stage.js";
import { ConfigArtifactSchema, flattenKeys, type ConfigArtifact } from "./schema.js";

export { ConfigArtifactSchema, flattenKeys, type ConfigArtifact } from "./schema.js";

const KEY = /^[A-Za-z_][\w.-]*$/;

/**
 * Why a parsed document is not the config.yaml the stage asked for, if it is
 * not: a mapping of named settings (keys like `learning_rate`, not `a b` or
 * `steps: `), with at least one value, no key whose value is missing.
 */
export function configShapeProblem(value: Record<string, unknown>): string | undefined {
  const problems: string[] = [];
  let leaves = 0;
  const visit = (node: unknown, path: string) => {
    if (node && typeof node === "object" && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
        const at = path ? `${path}.${k}` : k;
        if (!KEY.test(k)) problems.push(`the key ${JSON.stringify(at)} is not a setting's name`);
        if (v === null || v === undefined) problems.push(`${at} has no value`);
        else visit(v, at);
      }
    } else leaves++;
  };
  visit(value, "");
  if (leaves === 0) problems.push("it holds no setting");
  return problems.length ? `not a config.yaml of settings: ${problems.slice(0, 5).join("; ")}` : undefined;
}

export function parseConfigReply(text: string): ConfigArtifact {
  const { text: yaml, value } = extractYaml(text);
  const problem = configShapeProblem(value);
  if (problem) throw new ReplyParseError(problem);
  return ConfigArtifactSchema.parse({ yaml, keys: flattenKeys(value), valid: true });
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Leaf values of a parsed YAML document (list elements one by one), the smoke overrides left out. */
function leafValues(value: unknown, out: unknown[] = [], top = true): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => leafValues(v, out, false));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (!(top && k === "smoke")) leafValues(v, out, false);
  } else if (value !== null && value !== undefined) out.push(value);
  return out;
}

/** Settings about the authors' runs rather than the method: an implementation does not configure them. */
const NOT_A_SETTING =
  /\b(gpus?|tpus?|hours?|days?|wall[- ]?clock|training time|run ?time|compute|hardware|flops|cost|memory|machines?|nodes?|cores?|accelerators?|chips?)\b/i;

/**
 * Every setting of the plan an implementation needs is in config.yaml, matched by
 * value and meaning rather than by spelling: "7-10 responses" is in `[7, 10]`,
 * 1e-4 in `0.0001`, "Adam" in `optimizer: adam`; the authors' compute (GPU hours,
 * hardware) is not a setting. A missing one is high severity.
 */
export function checkConfig(config: ConfigArtifact, plan: Plan): ReviewIssue[] {
  if (!config.valid)
    return [issue("high", "config.yaml", `config.yaml does not parse: ${config.error ?? "invalid YAML"}`, "write valid YAML")];
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
      : words.has(norm(String(h.value))) ||
        [...words].some((w) => w.length >= 3 && norm(String(h.value)).includes(w)) ||
        segments.has(norm(String(h.value)));
    if (!found) {
      issues.push(
        issue(
          "high",
          "config.yaml",
          `the plan's setting ${h.name} = ${String(h.value)} (${h.source}) is not in config.yaml`,
          `add it with a comment citing ${h.source}`,
        ),
      );
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
      return [
        issue(
          "low",
          `config.yaml: ${e.key}`,
          `${e.key} = ${value} cites ${e.cites.join(", ")}, but ${e.note}; the paper states it in ${e.foundAt}`,
          `cite ${e.foundAt}`,
        ),
      ];
    }
    return [];
  });
}

const yamlBlock = (v: ConfigArtifact) => `\`\`\`yaml\n${v.yaml}\`\`\``;

/** Config writer: config.yaml with the paper's settings, each traceable, nothing invented. */
export const configStage = planningStage("configYaml", {
  name: "config",
  node: "config_writer",
  label: "config.yaml",
  refine: { setting: "refineConfig", default: 1 },
  artifactFile: "artifacts/config.yaml",
  reads: [planStage.asContext!],
  context: {
    title: "config.yaml, written by the config writer: the settings every file reads, with the key paths to use",
    rank: 1,
    render: (s: PaperToCodeState) => s.configYaml && `\`\`\`yaml\n${s.configYaml.yaml.trimEnd()}\n\`\`\``,
  },
  // A reply that does not parse, or is not a mapping of settings, is re-asked with the reason and never written.
  reply: { text: parseConfigReply },
  write: (out, v) => writeArtifact(out, "config.yaml", v.yaml),
  show: yamlBlock,
  checks: async (s, v) => {
    const provenance = await provenanceOfRun(s, v);
    return [...checkConfig(v, s.plan!), ...(provenance ? provenanceIssues(provenance) : [])];
  },
  patch: {
    format: CONFIG_EDIT_FORMAT,
    extension: "yaml",
    current: yamlBlock,
    reply: (current) => ({ text: (reply) => parseConfigReply(applyConfigReply(current.yaml, reply)) }),
  },
  editable: (s) => s.configYaml?.yaml,
  applyEdit: (value) => ({ configYaml: configFromEdit(value) }),
});

/** A person's config.yaml: YAML text of a mapping of settings. */
function configFromEdit(value: unknown): ConfigArtifact {
  if (typeof value !== "string") throw new Error("config must be given as YAML text");
  const parsed: unknown = parse(value);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("config.yaml must be a mapping of settings");
  return { yaml: value.endsWith("\n") ? value : `${value}\n`, keys: flattenKeys(parsed), valid: true };
}
