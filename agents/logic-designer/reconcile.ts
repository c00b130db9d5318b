import type { RunnableConfig } from "@langchain/core/runnables";
import { settingsOf } from "../../src/configuration.js";
import type { PaperToCodeState } from "../../src/state.js";
import { writeArtifact } from "../../src/workspace/writer.js";
import { keyMismatches, keyReferences, type KeyMismatch } from "../../src/review/design-keys.js";
import { checkLogic, logicStage } from "./stage.js";
import type { ReviewIssue, ReviewRecord } from "../../src/review/types.js";

/** Rounds of the design/config reconciliation: one targeted refinement of the logic design, when the logic stage refines at all. */
const RECONCILE_ROUNDS = 1;

/** The config keys the logic design names that config.yaml does not have. */
export function designKeyMismatches(state: Pick<PaperToCodeState, "logic" | "configYaml">): KeyMismatch[] {
  if (!state.logic || !state.configYaml?.valid) return [];
  const keys = state.configYaml.keys;
  const topLevel = new Set(keys.filter((k) => !k.includes(".")));
  const references = [
    ...state.logic.files.flatMap((f) => keyReferences(f.logic, f.path, topLevel)),
    ...keyReferences(state.logic.sharedConventions, "shared conventions", topLevel),
  ];
  return keyMismatches(references, keys);
}

export function mismatchIssues(mismatches: KeyMismatch[], keys: string[]): ReviewIssue[] {
  const leaves = keys.filter((k) => !keys.some((other) => other.startsWith(`${k}.`)));
  return mismatches.map((m) => ({
    severity: "high" as const,
    location: m.where,
    problem: `names config key ${m.path}, which config.yaml does not have${m.suggestion ? ` (config.yaml has ${m.suggestion})` : ""}`,
    suggestion: `use config.yaml's key paths exactly; they are: ${leaves.slice(0, 200).join(", ")}`,
    source: "check" as const,
  }));
}

const reconcileRounds = (state: PaperToCodeState) =>
  state.reviews.filter((r) => r.stage === "logic" && r.summary === RECONCILE_SUMMARY && r.action === "refine").length;
const RECONCILE_SUMMARY = "the logic design and config.yaml disagree on key paths";

/**
 * After the logic design and config.yaml are both ready: every config key the
 * design names must be one config.yaml has. A mismatch goes to the logic
 * refiner once (config.yaml is the reference); what remains is reported, so
 * the analysts and coders are not left to paper over it one file at a time.
 */
export async function reconcileDesignNode(state: PaperToCodeState, config?: RunnableConfig) {
  const mismatches = designKeyMismatches(state);
  const done = reconcileRounds(state);
  // A refined design is checked again as verify_logic would (a refinement may break what was right).
  const broken = done > 0 ? checkLogic(state.logic!, state.architecture!).filter((i) => i.severity === "high") : [];
  const brokenNotes = broken.map((i) => `logic design after the config-key refinement: ${i.problem}`);
  const round = state.reviews.filter((r) => r.stage === "logic").length;
  if (mismatches.length === 0) {
    if (done === 0) return {};
    // Settled by the refinement: recorded, so the loop ends here.
    const settled: ReviewRecord = { stage: "logic", round, passed: true, summary: RECONCILE_SUMMARY, issues: [], action: "accepted" };
    return { reviews: [settled], notes: brokenNotes };
  }
  const refine = done < Math.min(RECONCILE_ROUNDS, settingsOf(config).refineRounds(logicStage.refine.setting, logicStage.refine.default));
  const issues = mismatchIssues(mismatches, state.configYaml!.keys);
  const record: ReviewRecord = {
    stage: "logic",
    round,
    passed: false,
    summary: RECONCILE_SUMMARY,
    issues,
    action: refine ? "refine" : "gave-up",
  };
  await writeArtifact(state.outDir!, `reviews/logic/round-${record.round}-config-keys.json`, `${JSON.stringify(record, null, 2)}\n`);
  const notes = refine
    ? []
    : [
        `design and config.yaml disagree on ${mismatches.length} key path(s): ${mismatches.map((m) => `${m.where}: ${m.path}${m.suggestion ? ` (config.yaml: ${m.suggestion})` : ""}`).join("; ")}`,
      ];
  return { reviews: [record], notes: [...brokenNotes, ...notes] };
}

/** After reconciling: the logic refiner when the last check asked for it, else the file plan. */
export function afterReconcile(state: PaperToCodeState): "reconcile_logic" | "plan_files" {
  const last = state.reviews.filter((r) => r.stage === "logic").at(-1);
  return last?.summary === RECONCILE_SUMMARY && last.action === "refine" ? "reconcile_logic" : "plan_files";
}
