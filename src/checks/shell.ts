import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { posix } from "node:path";

/** A problem found in a shell script: the line it is on and what is wrong. */
export interface ShellFinding {
  line?: number;
  message: string;
}

/**
 * Static checks of a generated shell script: bash's own parse (`bash -n`),
 * lines that are no command at all (YAML, Markdown, prose), repository files
 * it runs that were not generated, and `shellcheck` errors when shellcheck is
 * installed. Conservative on purpose: a finding goes back to the coder, and a
 * false alarm would make it damage a working script.
 */
export function checkShellScript(path: string, source: string, files: ReadonlySet<string>): ShellFinding[] {
  const syntax = bashSyntax(source);
  if (syntax) return [syntax]; // the rest reads commands, which a broken parse makes unreliable
  const findings: ShellFinding[] = [];
  const { commands, fences } = simpleCommands(source);
  const made = new Set(commands.flatMap((c) => c.writes));
  const dirs = [
    "",
    ...commands.flatMap((c) =>
      c.words[0] === "cd" && c.words[1] && isLiteral(c.words[1]) ? [posix.normalize(c.words[1]).replace(/\/$/, "")] : [],
    ),
  ];
  const exists = (file: string) =>
    dirs.some((dir) => {
      const candidate = posix.normalize(posix.join(dir, file));
      return files.has(candidate) || made.has(candidate) || made.has(file);
    });
  const fence = fences[0];
  if (fence) findings.push({ line: fence, message: `line ${fence}: a Markdown code fence: ${path} must hold the script alone` });
  const notCommands = commands.filter(
    ({ words: [command], quoted }) => !quoted && (/^[A-Za-z_][\w.-]*:$/.test(command!) || command === "-"),
  );
  if (notCommands.length) {
    const { line, words } = notCommands[0]!;
    const more = notCommands.length > 1 ? ` (and ${notCommands.length - 1} more such lines)` : "";
    findings.push({
      line,
      message: `line ${line}: \`${words[0]}\` is not a command${more}: ${path} reads as YAML, Markdown or prose, not a shell script`,
    });
  }
  for (const { words, line } of commands) {
    const [command, ...args] = words;
    if (!command) continue;
    const ran = repositoryFileRun(command, args);
    if (!ran) continue;
    if (ran.kind === "file" && !exists(ran.path)) {
      findings.push({ line, message: `line ${line}: runs ${ran.path}, which is not a file of the repository` });
    } else if (ran.kind === "module" && !moduleExists(ran.module, files)) {
      findings.push({ line, message: `line ${line}: runs the module ${ran.module} (python -m), which no file of the repository provides` });
    }
  }
  findings.push(...shellcheckErrors(source));
  return findings;
}

/**
 * The system's bash, by absolute path: `bash -n` only parses, and nothing found
 * on PATH (which may be the generated repository's or a user's wrapper) is started.
 */
const SYSTEM_BASH = ["/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash", "/opt/homebrew/bin/bash"].find((path) => existsSync(path));

/** `bash -n`: the first syntax error, or nothing (also when bash is not installed). */
function bashSyntax(source: string): ShellFinding | undefined {
  if (!SYSTEM_BASH) return undefined;
  const result = spawnSync(SYSTEM_BASH, ["-n"], { input: source, encoding: "utf8", timeout: 10_000 });
  if (result.error || result.status === 0) return undefined;
  const message =
    result.stderr
      .trim()
      .split("\n")[0]
      ?.replace(/^(\/[\w/]+\/)?bash: /, "") ?? "syntax error";
  const line = Number(/line (\d+)/.exec(message)?.[1]) || undefined;
  return { line, message: `bash -n: ${message}` };
}

/** shellcheck's errors (not its warnings or style notes), when it is installed. */
function shellcheckErrors(source: string): ShellFinding[] {
  const result = spawnSync("shellcheck", ["--shell=bash", "--severity=error", "--format=json1", "-"], {
    input: source,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.error || !result.stdout) return [];
  try {
    const { comments } = JSON.parse(result.stdout) as { comments: { line: number; code: number; level: string; message: string }[] };
    return comments
      .filter((c) => c.level === "error")
      .map((c) => ({ line: c.line, message: `line ${c.line}: shellcheck SC${c.code}: ${c.message}` }));
  } catch {
    return [];
  }
}

interface SimpleCommand {
  words: string[];
  /** The command word was quoted: `"model:"` is a word, never a YAML key. */
  quoted: boolean;
  line: number;
  /** Files the command writes with a redirection (`> gen.py`): they exist when later lines run them. */
  writes: string[];
}

const KEYWORDS = new Set([
  "if",
  "then",
  "elif",
  "else",
  "fi",
  "do",
  "done",
  "while",
  "until",
  "for",
  "in",
  "case",
  "esac",
  "time",
  "!",
  "{",
  "}",
  "function",
  "select",
]);
const WRAPPERS = new Set(["exec", "env", "nohup", "command", "nice", "stdbuf"]);
const OPERATORS = new Set([";", "&&", "||", "|", "&", ";;", "(", ")", "|&"]);

/**
 * The script's simple commands, word by word, with quotes removed; heredoc
 * bodies and comments are skipped, Markdown fences set apart.
 * Not a full shell parser: enough to find which command each statement runs.
 */
export function simpleCommands(source: string): { commands: SimpleCommand[]; fences: number[] } {
  const lines = source.split("\n");
  const commands: SimpleCommand[] = [];
  /** Lines (outside heredocs) that open or close a Markdown code fence. */
  const fences: number[] = [];
  let heredoc: { end: string; strip: boolean } | undefined;
  let pending = "";
  let pendingLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (heredoc) {
      if ((heredoc.strip ? raw.replace(/^\t+/, "") : raw) === heredoc.end) heredoc = undefined;
      continue;
    }
    if (!pending) pendingLine = i + 1;
    if (!pending && /^\s*```/.test(raw)) {
      fences.push(i + 1);
      continue;
    }
    pending += raw;
    if (/(^|[^\\])\\$/.test(raw)) {
      pending = pending.slice(0, -1);
      continue;
    }
    const { tokens, open } = tokenize(pending);
    if (open) {
      pending += "\n"; // a quote spans lines: read on
      continue;
    }
    pending = "";
    let words: Token[] = [];
    let writes: string[] = [];
    const flush = () => {
      const lead = words.find((w) => !KEYWORDS.has(w.text) || ["for", "select", "case"].includes(w.text))?.text ?? "";
      // Keywords, assignments and wrappers (`exec`, `env X=1`, `nohup`) come before the command that runs.
      while (
        words.length &&
        !words[0]!.quoted &&
        (KEYWORDS.has(words[0]!.text) || WRAPPERS.has(words[0]!.text) || /^[A-Za-z_]\w*(\[[^\]]*\])?\+?=/.test(words[0]!.text))
      )
        words.shift();
      // `for x in ...`, `case word in`: no command runs in these words.
      if (words.length && !["for", "select", "case"].includes(lead))
        commands.push({ words: words.map((w) => w.text), quoted: words[0]!.quoted ?? false, line: pendingLine, writes });
      words = [];
      writes = [];
    };
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]!;
      if (token.op) {
        if (/^<<-?$/.test(token.text)) {
          const end = tokens[++t];
          if (end && !end.op) heredoc = { end: end.text, strip: token.text === "<<-" };
        } else if (/^\d*>>?$|^&>$/.test(token.text)) {
          const target = tokens[++t];
          if (target && !target.op && isLiteral(target.text)) writes.push(posix.normalize(target.text));
        } else if (/^\d*<$|^\d*>&$|^<&$|^<<<$/.test(token.text)) {
          t++;
        } else if (OPERATORS.has(token.text)) {
          flush();
        }
        continue;
      }
      words.push(token);
    }
    flush();
  }
  return { commands, fences };
}

interface Token {
  text: string;
  op: boolean;
  /** The word starts with a quote (a quoted `"model:"` is a word, never a YAML key). */
  quoted?: boolean;
}

/** Shell words and operators of one logical line; `open` when a quote is not closed yet. */
function tokenize(line: string): { tokens: Token[]; open: boolean } {
  const tokens: Token[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  const end = () => {
    if (inWord) tokens.push({ text: word, op: false, quoted });
    word = "";
    inWord = false;
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = findClosing(line, i);
      if (close < 0) return { tokens, open: true };
      if (!inWord) quoted = true;
      word += line.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (c === "\\") {
      word += line[i + 1] ?? "";
      inWord = true;
      i++;
    } else if (c === "$" && (line[i + 1] === "(" || line[i + 1] === "{")) {
      const close = matching(line, i + 1);
      if (close < 0) return { tokens, open: true };
      word += line.slice(i, close + 1);
      inWord = true;
      i = close;
    } else if (c === "`") {
      const close = line.indexOf("`", i + 1);
      if (close < 0) return { tokens, open: true };
      word += line.slice(i, close + 1);
      inWord = true;
      i = close;
    } else if (c === "#" && !inWord) {
      break;
    } else if (/\s/.test(c)) {
      end();
    } else if (/[;&|()<>]/.test(c)) {
      // A redirection's file descriptor (2>) belongs to the operator.
      let op = /^\d+$/.test(word) && (c === ">" || c === "<") ? word : "";
      if (op) {
        word = "";
        inWord = false;
      } else end();
      const two = line.slice(i, i + 3);
      const match = /^(<<<|<<-|&&|\|\||;;|>>|<<|>&|<&|&>|\|&|[;&|()<>])/.exec(two)!;
      op += match[0];
      i += match[0].length - 1;
      tokens.push({ text: op, op: true });
    } else {
      word += c;
      inWord = true;
    }
  }
  end();
  return { tokens, open: false };
}

function findClosing(line: string, at: number): number {
  const quote = line[at]!;
  for (let i = at + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === "\\") i++;
    else if (line[i] === quote) return i;
  }
  return -1;
}

/** The index of the bracket closing the one at `at`, quotes respected. */
function matching(line: string, at: number): number {
  const open = line[at]!;
  const close = open === "(" ? ")" : "}";
  let depth = 0;
  for (let i = at; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = findClosing(line, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}

const isLiteral = (word: string) => !/[$`*?[\]{}~]/.test(word) && !word.startsWith("/") && word.length > 0;

/** A Python interpreter, named or through a variable (`$PY`, `${PYTHON:-python3}`, `.venv/bin/python`). */
const isPython = (word: string) =>
  /^(?:.*\/)?python(?:\d+(?:\.\d+)?)?$/.test(word) ||
  /^\$\{?[A-Za-z_]*PY[A-Za-z_]*(?::-[^}]*)?\}?$/i.test(word) ||
  /^\$\{[A-Za-z_]\w*:-(?:.*\/)?python[\d.]*\}$/.test(word);

/** What repository file a command runs, when it names one literally. */
function repositoryFileRun(
  command: string,
  args: string[],
): { kind: "file"; path: string } | { kind: "module"; module: string } | undefined {
  if (isPython(command)) {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (arg === "-m") return args[i + 1] && isLiteral(args[i + 1]!) ? { kind: "module", module: args[i + 1]! } : undefined;
      if (arg === "-c" || arg === "-") return undefined;
      if (/^-[WX]$/.test(arg)) {
        i++;
        continue;
      }
      if (arg.startsWith("-")) continue;
      return isLiteral(arg) && /\.py$/.test(arg) ? { kind: "file", path: posix.normalize(arg) } : undefined;
    }
    return undefined;
  }
  if (["bash", "sh", "source", "."].includes(command)) {
    const script = args.find((a) => !a.startsWith("-"));
    return script && isLiteral(script) && /\.(sh|bash)$/.test(script) ? { kind: "file", path: posix.normalize(script) } : undefined;
  }
  if (command.includes("/") && isLiteral(command) && /\.(sh|py)$/.test(command)) return { kind: "file", path: posix.normalize(command) };
  return undefined;
}

/**
 * A `python -m` module the repository should provide: only a module whose top
 * package is a folder or file of the repository is judged (pip, venv, pytest are not).
 */
function moduleExists(module: string, files: ReadonlySet<string>): boolean {
  const parts = module.split(".");
  const top = parts[0]!;
  const local = files.has(`${top}.py`) || [...files].some((f) => f.startsWith(`${top}/`));
  if (!local) return true;
  const stem = parts.join("/");
  return files.has(`${stem}.py`) || files.has(`${stem}/__main__.py`) || files.has(`${stem}/__init__.py`);
}
