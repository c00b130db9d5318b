import type { RunnableConfig } from "@langchain/core/runnables";
import { checkRepository, type CodeIssue } from "../checks/repo.js";
import { REPAIR_CODE_DEFAULT, settingsOf } from "../configuration.js";
import type { CodeCheckRound, PaperToCodeState } from "../state.js";
import { getBlob } from "../workspace/blobs.js";
import { writeArtifact } from "../workspace/writer.js";

export function requirementsOf(state: Pick<PaperToCodeState, "logic" | "extraRequirements">): string[] {
  return [...(state.logic?.requiredPackages ?? []), ...(state.extraRequirements ?? [])];
}

/**
 * Static checks of the generated repository. With repair rounds left, a
 * missing requirement is added here (the import is right, the list was not)
 * and the files with other problems go back to the coder.
 */
export async function checkCodeNode(state: PaperToCodeState, config?: RunnableConfig) {
  const files = new Map<string, string>();
  for (const file of Object.values(state.code)) files.set(file.path, await getBlob(state.outDir!, file.sha));
  const input = {
    files,
    configKeys: state.configYaml?.valid ? state.configYaml.keys : undefined,
    entrypoint: state.logic!.entrypoint,
  };
  const found = await checkRepository({ ...input, requirements: requirementsOf(state) });
  let report = found;
  const round = state.codeChecks.length;
  const repairsLeft = round < settingsOf(config).refineRounds("repairCode", REPAIR_CODE_DEFAULT);
  const addedRequirements = repairsLeft ? [...new Set(found.issues.flatMap((i) => (i.requirement ? [i.requirement] : [])))] : [];
  if (addedRequirements.length) {
    report = await checkRepository({ ...input, requirements: [...requirementsOf(state), ...addedRequirements] });
  }
  // Findings the coder disputed stay in the report, marked, and are not sent back: a check can be wrong.
  const disputed = (i: CodeIssue) => state.disputes.some((d) => d.file === i.file && d.check === i.check && d.message === i.message);
  report = {
    ...report,
    issues: report.issues.map((i) =>
      disputed(i) ? { ...i, disputed: state.disputes.find((d) => d.file === i.file && d.message === i.message)!.reason } : i,
    ),
  };
  const repairedFiles = repairsLeft
    ? filesToRepair(
        report.issues.filter((i) => !i.disputed),
        files,
      )
    : [];
  const record: CodeCheckRound = { round, found: found.counts, report, repairedFiles, addedRequirements };
  await writeArtifact(state.outDir!, `checks/round-${round}.json`, `${JSON.stringify(record, null, 2)}\n`);
  await writeArtifact(state.outDir!, "checks.json", `${JSON.stringify({ ...report, rounds: round + 1 }, null, 2)}\n`);
  const notes = [
    ...(addedRequirements.length ? [`code checks: added to requirements.txt: ${addedRequirements.join(", ")}`] : []),
    ...(!report.ok && repairedFiles.length === 0 && report.issues.some((i) => !i.disputed)
      ? [
          `code checks: ${report.issues.filter((i) => !i.disputed).length} problem(s) remain: ${report.issues
            .filter((i) => !i.disputed)
            .map((i) => `${i.file}: ${i.message}`)
            .join("; ")}`,
        ]
      : []),
  ];
  return { codeChecks: [record], extraRequirements: addedRequirements, notes };
}

/** Files with problems the coder can fix (a missing entry point file is not one: there is nothing to edit). */
function filesToRepair(issues: CodeIssue[], files: Map<string, string>): string[] {
  return [...new Set(issues.filter((i) => files.has(i.file) && i.check !== "requirement").map((i) => i.file))];
}

export function issuesFor(state: PaperToCodeState, path: string): CodeIssue[] {
  return state.codeChecks.at(-1)?.report.issues.filter((i) => i.file === path && !i.disputed) ?? [];
}
