import { AgentOutputError } from "../errors.js";
import { implementationOrder } from "../planning/order.js";
import type { GeneratedFile, PaperToCodeState, PlannedFile } from "../state.js";
import { saveCodeFile } from "../workspace/code-files.js";
import { writeArtifact } from "../workspace/writer.js";

/** Files paper2code writes itself from the planning artifacts; the coder never writes them. */
export const MANAGED_FILES = new Set(["config.yaml", "requirements.txt", "README.md"]);

/** Every file a run writes into repo/: the planned files, then the managed ones. */
export const repositoryFiles = (state: Pick<PaperToCodeState, "files">) => [...(state.files ?? []).map((f) => f.path), ...MANAGED_FILES];

/** The script every repository gets: it sets up the environment and runs the experiments; `--smoke` runs them shrunk. */
export const REPRODUCE_SCRIPT = "reproduce.sh";

const REPRODUCE_LOGIC = [
  "Bash script (`#!/usr/bin/env bash`, `set -euo pipefail`, run from the repository root).",
  "`bash reproduce.sh`: create a virtual environment `.venv` with `python3 -m venv`, install requirements.txt into it, then run every experiment of the paper with config.yaml.",
  "`bash reproduce.sh --smoke`: skip the environment set-up (the caller provides a Python with the requirements) and run the same entry points with `--smoke`, which applies config.yaml's `smoke` overrides so the whole pipeline finishes in seconds on a CPU.",
  "Call Python as `${PYTHON:-python3}` (the environment's python after set-up).",
].join(" ");

/** reproduce.sh, depending on the entry point (or on the files nothing else depends on). */
function reproduceScript(files: PlannedFile[], entrypoint: string): PlannedFile {
  const entry = files.some((f) => f.path === entrypoint)
    ? [entrypoint]
    : files.filter((f) => !files.some((g) => g.dependsOn.includes(f.path))).map((f) => f.path);
  return {
    path: REPRODUCE_SCRIPT,
    purpose: "Sets up the environment and runs the experiments; --smoke runs them shrunk",
    logic: REPRODUCE_LOGIC,
    dependsOn: entry,
  };
}

/**
 * Merge the architect's file list and the logic design into the coding plan:
 * one entry per file, in a topological implementation order, with any cycle
 * broken deterministically and reported.
 */
export function planFiles(state: Pick<PaperToCodeState, "architecture" | "logic">) {
  const architecture = state.architecture!;
  const logic = state.logic!;
  const notes: string[] = [];
  const logicByPath = new Map(logic.files.map((f) => [f.path, f]));
  const candidates: PlannedFile[] = [];
  for (const f of architecture.files) {
    if (MANAGED_FILES.has(f.path)) continue;
    const design = logicByPath.get(f.path);
    if (!design) notes.push(`logic design: no logic for ${f.path}; the analyst works from the plan alone`);
    candidates.push({ path: f.path, purpose: f.purpose, logic: design?.logic ?? "", dependsOn: design?.dependsOn ?? [] });
  }
  for (const f of logic.files) {
    if (MANAGED_FILES.has(f.path) || candidates.some((c) => c.path === f.path)) continue;
    notes.push(`logic design: ${f.path} is not in the architecture; added`);
    candidates.push({ path: f.path, purpose: "(added by the logic design)", logic: f.logic, dependsOn: f.dependsOn });
  }
  if (candidates.length === 0) throw new AgentOutputError("architect", "the design has no source file to write");

  const dependsOn = Object.fromEntries(candidates.map((f) => [f.path, f.dependsOn.filter((d) => !MANAGED_FILES.has(d))]));
  const result = implementationOrder(
    candidates.map((f) => f.path),
    dependsOn,
    logic.implementationOrder,
  );
  notes.push(...result.warnings.map((w) => `implementation order: ${w}`));
  const broken = new Set(result.brokenDependencies.map((b) => `${b.file}\0${b.dependsOn}`));
  const known = new Set(candidates.map((f) => f.path));
  const files = result.order.map((path) => {
    const f = candidates.find((c) => c.path === path)!;
    return { ...f, dependsOn: dependsOn[path]!.filter((d) => known.has(d) && d !== path && !broken.has(`${path}\0${d}`)) };
  });
  if (!known.has(REPRODUCE_SCRIPT)) files.push(reproduceScript(files, logic.entrypoint));
  if (!known.has(logic.entrypoint)) notes.push(`logic design: the entry point ${logic.entrypoint} is not a planned file`);
  return { files, notes, brokenDependencies: result.brokenDependencies };
}

/** An `__init__.py` whose logic asks for nothing but the package: written by a rule, no analyst or coder call. */
const PACKAGE_MARKER_LOGIC =
  /^\s*(\(?(empty|none|nothing|no logic|n\/a)\)?\.?|(an? )?(empty )?(package|module)( marker| init(iali[sz]er)?| file)?\.?|(marks?|makes?) (\S+ )?(a |the )?(python )?package\b.*|empty( file| init)?\b.*)\s*$/i;

/** Plumbing every repository has (seeding, I/O, logging, config loading, helpers): it implements nothing of the paper. */
const SUPPORT_FILE =
  /(^|\/)(utils?|common|helpers?)\/|(^|\/)(seed(ing)?|io|logging|log|logger|utils?|helpers?|paths|constants|registry|config|configuration|settings|cli)\.py$/;
/** A logic that cites the paper (a section, an equation, a table...) is the paper's method, whatever the file is called. */
const CITES_PAPER = /\b(Section|Sec\.|Eq\.?|Eqn|Equation|Table|Figure|Fig\.|Appendix|Algorithm|Theorem|Lemma)\b|§/;

/**
 * How a file is written: a package marker by rule; a test, or support code
 * (seeding, I/O, logging, config loading) whose logic cites nothing of the paper,
 * without an analysis (its logic design entry and the code it uses suffice, and
 * an analysis would add nothing); the rest analysed, then coded.
 */
export function fileKind(file: Pick<PlannedFile, "path" | "logic">): NonNullable<PlannedFile["kind"]> {
  const name = file.path.split("/").at(-1)!;
  const onlyPackage =
    !file.logic.trim() || (PACKAGE_MARKER_LOGIC.test(file.logic) && !/\b(import|export|expose|__all__|from)\b/i.test(file.logic));
  if (name === "__init__.py" && onlyPackage) return "package-marker";
  if (/(^|\/)tests?\//.test(file.path) || /^(test_.*|.*_test|conftest)\.py$/.test(name)) return "test";
  if (file.path === REPRODUCE_SCRIPT || (SUPPORT_FILE.test(file.path) && !CITES_PAPER.test(file.logic))) return "support";
  return "code";
}

/** What a rule writes for a package marker: one line saying what the package is. */
export const packageMarker = (file: Pick<PlannedFile, "purpose">) =>
  `"""${file.purpose.replace(/"/g, "'").replace(/\s+/g, " ").trim() || "Package marker."}"""\n`;

export async function planFilesNode(state: PaperToCodeState) {
  const { files: planned, notes, brokenDependencies } = planFiles(state);
  const files = planned.map((f) => ({ ...f, kind: fileKind(f) }));
  await writeArtifact(
    state.outDir!,
    "order.json",
    `${JSON.stringify({ order: files.map((f) => f.path), files, brokenDependencies }, null, 2)}\n`,
  );
  // Package markers are written here, by rule: no model call is worth a one-line file.
  const code: Record<string, GeneratedFile> = {};
  for (const f of files.filter((f) => f.kind === "package-marker"))
    code[f.path] = await saveCodeFile(state.outDir!, f.path, packageMarker(f), "written by rule: a package marker");
  const markers = Object.keys(code);
  return { files, notes: [...notes, ...(markers.length ? [`written by rule, without a model call: ${markers.join(", ")}`] : [])], code };
}
