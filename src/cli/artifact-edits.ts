import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isCollection, parse as parseYaml, parseDocument } from "yaml";
import { ExitCode, UserError } from "../errors.js";
import { reviewedStage, type ReviewableStage } from "../../graphs/stages.js";
import type { PaperToCodeState } from "../state.js";

/* A person's edit of an artifact: from a file, from $EDITOR, or key=value changes of config.yaml. */

/** `key.path=value` edits of config.yaml, comments kept; values are YAML (numbers, booleans, lists). Unknown keys are refused. */
export function setConfigKeys(stage: ReviewableStage, state: PaperToCodeState, assignments: string[]): string {
  if (stage !== "config") throw new UserError(`--set edits config.yaml; use --file or $EDITOR for the ${stage}`, ExitCode.usage);
  const doc = parseDocument(state.configYaml?.yaml ?? "");
  for (const assignment of assignments) {
    const at = assignment.indexOf("=");
    if (at <= 0) throw new UserError(`--set ${assignment}: expected key=value`, ExitCode.usage);
    const path = assignment.slice(0, at).trim().split(".");
    if (!doc.hasIn(path)) {
      throw new UserError(
        `--set ${assignment}: config.yaml has no key '${path.join(".")}' (keys: ${state.configYaml?.keys.join(", ")})`,
        ExitCode.usage,
      );
    }
    // A new node in the old one's place, with its comments (the paper reference) and on one line.
    const previous = doc.getIn(path, true) as { comment?: string | null; commentBefore?: string | null } | undefined;
    const node = doc.createNode(parseYaml(assignment.slice(at + 1)));
    if (isCollection(node)) node.flow = true;
    node.comment = previous?.comment;
    node.commentBefore = previous?.commentBefore;
    doc.setIn(path, node);
  }
  return doc.toString();
}

export function readEditedFile(stage: ReviewableStage, file: string): unknown {
  if (!existsSync(file)) throw new UserError(`--file ${file}: no such file`, ExitCode.notFound);
  return parseEdited(stage, readFileSync(file, "utf8"), file);
}

function parseEdited(stage: ReviewableStage, text: string, where: string): unknown {
  if (stage === "config") return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${where}: the ${stage} must be JSON: ${(error as Error).message}`, ExitCode.badInput);
  }
}

/** Open the artifact in $VISUAL/$EDITOR; the file stays in the run folder, so an edit is never lost. */
export function editInEditor(stage: ReviewableStage, state: PaperToCodeState): unknown {
  const current = reviewedStage(stage).editable(state);
  const text = stage === "config" ? String(current) : `${JSON.stringify(current, null, 2)}\n`;
  const path = join(state.outDir!, ".paper2code", "edit", `${stage}.${stage === "config" ? "yaml" : "json"}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const editor = process.env.VISUAL || process.env.EDITOR || "vi";
  const result = spawnSync("sh", ["-c", `${editor} "$1"`, "sh", path], { stdio: "inherit" });
  if (result.status !== 0)
    throw new UserError(`the editor (${editor}) exited with status ${result.status}; your edit is kept in ${path}`, ExitCode.usage);
  const edited = readFileSync(path, "utf8");
  if (edited === text) throw new UserError(`no change to the ${stage}; nothing to do`, ExitCode.ok);
  return parseEdited(stage, edited, path);
}
