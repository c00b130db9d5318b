import { stat } from "node:fs/promises";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration } from "../configuration.js";
import { requirementsOf } from "./check-code.js";
import { repositoryFiles } from "./plan-files.js";
import { renderRepoReadme, renderRequirements } from "../render/repo-files.js";
import { writeReportHtml } from "../report/run-page.js";
import { writeRunReport } from "../run-report.js";
import type { PaperToCodeState } from "../state.js";
import { resolveInside } from "../workspace/paths.js";
import { summarizeProvenance } from "../provenance/check.js";
import { provenanceOfRun } from "../provenance/of-run.js";
import { repoDir, writeArtifact, writeRepoFile } from "../workspace/writer.js";

/** Files that were planned but are missing or empty on disk. */
export async function missingFiles(outDir: string, paths: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const path of paths) {
    const size = await stat(resolveInside(repoDir(outDir), path)).then(
      (s) => s.size,
      () => -1,
    );
    if (size <= 0) missing.push(path);
  }
  return missing;
}

/** Write the managed files, check every planned file is there, and record the run. */
export async function finalizeNode(state: PaperToCodeState, config?: RunnableConfig) {
  const outDir = state.outDir!;
  await writeRepoFile(outDir, "config.yaml", state.configYaml!.yaml);
  await writeRepoFile(outDir, "requirements.txt", renderRequirements(requirementsOf(state)));
  const provenance = await provenanceOfRun(state, state.configYaml);
  if (provenance) await writeArtifact(outDir, "provenance.json", `${JSON.stringify(provenance, null, 2)}\n`);
  await writeRepoFile(outDir, "README.md", renderRepoReadme(state, provenance));
  const missing = await missingFiles(outDir, repositoryFiles(state));
  const blocking = state.codeChecks.at(-1)?.report.issues.filter((i) => i.blocking && !i.disputed) ?? [];
  const status = missing.length === 0 && blocking.length === 0 ? ("complete" as const) : ("failed" as const);
  const notes: string[] = [];
  const summary = provenance ? summarizeProvenance(provenance) : undefined;
  if (summary?.unsupported.length)
    notes.push(`provenance: ${summary.unsupported.length} config value(s) the paper states nowhere: ${summary.unsupported.join(", ")}`);
  // Last, so the CLI's one-line reason names them.
  if (missing.length) notes.push(`missing or empty files: ${missing.join(", ")}`);
  if (blocking.length) notes.push(`the repository cannot start: ${blocking.map((i) => `${i.file}: ${i.message}`).join("; ")}`);
  await writeRunReport(
    outDir,
    { ...state, status, notes: [...state.notes, ...notes], provenance: summary },
    {
      threadId: readConfiguration(config).thread_id,
    },
  );
  if (readConfiguration(config).report !== false) await writeReportHtml(outDir);
  return { status, notes, provenance: summary };
}
