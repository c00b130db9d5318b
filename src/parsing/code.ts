import { posix } from "node:path";
import { ReplyParseError } from "./json.js";
import { findFences, stripReasoning, type Fence } from "./reply.js";

const LANGUAGES: Record<string, string[]> = {
  ".py": ["python", "py", "python3"],
  ".sh": ["bash", "sh", "shell", "zsh"],
  ".yaml": ["yaml", "yml"],
  ".yml": ["yaml", "yml"],
  ".json": ["json"],
  ".md": ["markdown", "md"],
  ".txt": ["text", "txt", "plaintext"],
  ".toml": ["toml"],
  ".cfg": ["ini", "cfg"],
  ".ini": ["ini"],
  ".js": ["javascript", "js"],
  ".ts": ["typescript", "ts"],
};

export interface ExtractedCode {
  code: string;
  /** How the block was chosen, for the run's record of tolerant parsing. */
  note?: string;
}

/**
 * The content of one file from a coder reply: the fenced block named for the
 * file when there are several, else the block in the file's language, else the
 * bare reply. A missing closing fence is tolerated; an empty result is an error.
 */
export function extractCode(reply: string, path: string): ExtractedCode {
  const stripped = stripReasoning(reply);
  const text = withoutStrayFences(stripped);
  const fences = findFences(text).filter((f) => f.body.trim().length > 0);
  let note: string | undefined = text !== stripped ? "stray code fence dropped" : undefined;

  if (fences.length === 0) {
    const code = text.trim();
    if (/^\s*`{3,}/.test(text) || (!code && /^\s*`{3,}/m.test(stripped)))
      throw new ReplyParseError(`the reply for ${path} has an empty code block`);
    if (!code) throw new ReplyParseError(`the reply for ${path} is empty`);
    return { code: `${code}\n`, note: note ?? "no code fence: used the whole reply" };
  }

  const named = fences.filter((f) => namesFile(f, path));
  const forOthers = fences.filter((f) => !named.includes(f) && namesAnyFile(f));
  const candidates = named.length > 0 ? named : fences.filter((f) => !forOthers.includes(f));
  if (candidates.length === 0) {
    throw new ReplyParseError(`the reply holds code for other files (${forOthers.map(namedFile).join(", ")}), not for ${path}`);
  }
  const languages = LANGUAGES[posix.extname(path).toLowerCase()] ?? [];
  const inLanguage = candidates.filter((f) => languages.includes(language(f)));
  const pool = inLanguage.length > 0 ? inLanguage : candidates;
  const chosen = pool.reduce((best, f) => (f.body.length > best.body.length ? f : best));
  if (fences.length > 1) note = `${fences.length} code blocks: took the one ${named.length ? `named ${path}` : "in the file's language"}`;
  else if (text !== stripped) note = "stray code fence dropped";
  if (!chosen.closed) note = `${note ? `${note}; ` : ""}missing closing fence`;
  return { code: `${chosen.body.replace(/\s+$/, "")}\n`, note };
}

const FENCE = /^\s*(`{3,}|~{3,})\s*(.*?)\s*$/;

/**
 * A reply as a person reads it: fences that hold nothing are dropped. An
 * opening fence followed at once by its closing one (```python, ```), by
 * another opening fence (```, ```python), or by nothing at all (a last line
 * ```) opens no block; one line that opens and closes (```python```) neither.
 * Only fences outside a block are judged, so a closing fence is never taken away.
 */
export function withoutStrayFences(text: string): string {
  const lines = text.split("\n");
  const kept: string[] = [];
  let inside: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (inside) {
      if (fence && line.trim().startsWith(inside) && fence[2] === "") inside = undefined;
      kept.push(line);
      continue;
    }
    if (!fence) {
      kept.push(line);
      continue;
    }
    if (/^[\w+-]*`{3,}$/.test(fence[2]!)) continue; // ```python``` on one line
    let next = i + 1;
    while (next < lines.length && lines[next]!.trim() === "") next++;
    const following = next < lines.length ? FENCE.exec(lines[next]!) : undefined;
    if (next >= lines.length) continue; // an opening fence with nothing after it
    if (following && following[2] === "") {
      i = next; // ```python then ```: an empty block
      continue;
    }
    if (following && following[2] !== "") continue; // a fence, then the block's real opening fence
    inside = fence[1];
    kept.push(line);
  }
  return kept.join("\n");
}

function language(f: Fence): string {
  return (f.info.split(/[\s:{]/)[0] ?? "").toLowerCase();
}

const FILE_TOKEN = /([\w./-]+\.(?:py|sh|ya?ml|json|md|txt|toml|cfg|ini|js|ts))\b/g;

function namedFile(f: Fence): string {
  const inInfo = f.info.match(FILE_TOKEN);
  if (inInfo?.length) return inInfo[0]!;
  const lastLine = f.before.trim().split("\n").at(-1) ?? "";
  // A repair's "NOT A PROBLEM: ... config.yaml ..." line names no file for the block after it.
  if (/^\s*[-*]?\s*NOT A PROBLEM:/i.test(lastLine)) return "";
  return lastLine.match(FILE_TOKEN)?.at(-1) ?? "";
}

function namesAnyFile(f: Fence): boolean {
  return namedFile(f) !== "";
}

function namesFile(f: Fence, path: string): boolean {
  const name = namedFile(f).replace(/^\.\//, "");
  return name !== "" && (name === path || posix.basename(name) === path || name.endsWith(`/${path}`) || path.endsWith(`/${name}`));
}
