/**
 * SEARCH/REPLACE edits, the debugger's reply format:
 *
 *     path/to/file.py
 *     <<<<<<< SEARCH
 *     lines exactly as they are in the file
 *     =======
 *     the lines that replace them
 *     >>>>>>> REPLACE
 *
 * An edit applies only when its search text occurs exactly once in the file
 * (an empty search creates a file that does not exist yet); anything else is
 * refused with the reason, so the model can be asked again.
 */
import { ReplyParseError } from "../parsing/json.js";
import { stripReasoning } from "../parsing/reply.js";

export interface SearchReplaceEdit {
  path: string;
  search: string;
  replace: string;
}

const SEARCH = /^\s*<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9} ?REPLACE\s*$/;

/** The file name a model writes above a block: `path`, `### path`, `**path**`, `File: path`, a fence with the path. */
function pathFrom(line: string): string {
  return line
    .trim()
    .replace(/^(`{3,}|~{3,})\w*\s*/, "")
    .replace(/^#+\s*/, "")
    .replace(/^(file|path)\s*:\s*/i, "")
    .replace(/^[*`'"]+|[*`'":]+$/g, "")
    .trim();
}

export function parseEdits(reply: string): SearchReplaceEdit[] {
  const lines = stripReasoning(reply).split("\n");
  const edits: SearchReplaceEdit[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!SEARCH.test(lines[i]!)) continue;
    let p = i - 1;
    while (p >= 0 && (lines[p]!.trim() === "" || /^\s*(`{3,}|~{3,})\w*\s*$/.test(lines[p]!))) p--;
    const path = p >= 0 ? pathFrom(lines[p]!) : "";
    const divider = lines.findIndex((l, j) => j > i && DIVIDER.test(l));
    const end = lines.findIndex((l, j) => j > divider && REPLACE.test(l));
    if (!path) throw new ReplyParseError(`a SEARCH block (line ${i + 1}) has no file path on the line above it`);
    if (divider < 0 || end < 0) throw new ReplyParseError(`the SEARCH block for ${path} is not closed with ======= and >>>>>>> REPLACE`);
    edits.push({ path, search: lines.slice(i + 1, divider).join("\n"), replace: lines.slice(divider + 1, end).join("\n") });
    i = end;
  }
  return edits;
}

function occurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + search.length)) count++;
  return count;
}

/**
 * Apply `edits` to the files `read` returns (undefined: no such file), in
 * order, all or none: the new contents by path, or a ReplyParseError naming
 * every edit that cannot apply and why.
 */
export function applyEdits(edits: SearchReplaceEdit[], read: (path: string) => string | undefined): Map<string, string> {
  const contents = new Map<string, string>();
  const problems: string[] = [];
  for (const [n, edit] of edits.entries()) {
    const current = contents.has(edit.path) ? contents.get(edit.path) : read(edit.path);
    const label = `edit ${n + 1} (${edit.path})`;
    if (edit.search.trim() === "") {
      if (current !== undefined) problems.push(`${label} has an empty SEARCH, but the file exists: quote the lines to replace`);
      else contents.set(edit.path, `${edit.replace.replace(/\s+$/, "")}\n`);
      continue;
    }
    if (current === undefined) {
      problems.push(`${label}: there is no such file`);
      continue;
    }
    const found = occurrences(current, edit.search);
    if (found !== 1) {
      problems.push(
        found === 0
          ? `${label}: the SEARCH text matches nothing in the file; copy the lines exactly as they are, indentation included`
          : `${label}: the SEARCH text matches ${found} places; include more surrounding lines so it matches exactly one`,
      );
      continue;
    }
    const at = current.indexOf(edit.search);
    contents.set(edit.path, current.slice(0, at) + edit.replace + current.slice(at + edit.search.length));
  }
  if (problems.length) throw new ReplyParseError(`no edit was applied: ${problems.join("; ")}`);
  return contents;
}
