/** What kind of failure a smoke run ended with, from its output: the class the debugger and the report name. */
import { posix, relative, isAbsolute } from "node:path";

export const FAILURE_CLASSES = [
  "missing-dependency",
  "import-error",
  "syntax",
  "name-error",
  "type-value-error",
  "config-key",
  "data-path",
  "timeout",
  "other",
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export interface Failure {
  kind: FailureClass;
  /** The exception line (or why there is none). */
  summary: string;
  /** Repository files in the traceback, innermost last. */
  files: string[];
}

const EXCEPTION_LINE = /^([A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit|Interrupt)|KeyError|StopIteration)(?::\s*(.*))?$/;

/** Names that, undefined, mean a forgotten import. */
const COMMON_MODULES = new Set(
  "json os sys re math random time np numpy torch nn F optim pd pandas yaml argparse logging pathlib Path collections itertools functools typing copy pickle csv glob shutil subprocess datetime tqdm plt scipy sklearn jax jnp tf".split(
    " ",
  ),
);

/** pytest's report of a failure or an error: `FAILED tests/t.py::test_x - KeyError: 'k'`, `ERROR tests/t.py - ...`. */
const PYTEST_SUMMARY = /^(?:FAILED|ERROR) \S+(?: - (.*))?$/;

/**
 * The exception of the first failure in pytest's output, where a plain
 * traceback search finds only its summary line ("135 passed, 1 error in
 * 8.37s"): in the first failure's (or collection error's) section, its
 * `E   KeyError: ...` line, else the type pytest names after the failing line
 * (`t.py:10: AssertionError`) with the first `E` line; else the short
 * summary's ` - KeyError: ...`.
 */
function pytestException(lines: string[]): string | undefined {
  const isPytest = lines.some((l) => /^=+ (FAILURES|ERRORS|short test summary info) =+$/.test(l) || PYTEST_SUMMARY.test(l));
  if (!isPytest) return undefined;
  const start = lines.findIndex((l) => /^_{2,} .+ _{2,}$/.test(l));
  if (start >= 0) {
    const after = lines.slice(start + 1);
    const end = after.findIndex((l) => /^_{2,} .+ _{2,}$/.test(l) || /^=+ .* =+$/.test(l));
    const section = end >= 0 ? after.slice(0, end) : after;
    const reported = section.map((l) => /^E\s+(.*)$/.exec(l)?.[1]?.trim() ?? "").filter(Boolean);
    const raised = reported.find((l) => EXCEPTION_LINE.test(l));
    if (raised) return raised;
    const type = section.map((l) => /^[^\s:"]+\.py:\d+: ([A-Za-z_][\w.]*)$/.exec(l)?.[1]).find((t) => t && EXCEPTION_LINE.test(t));
    if (type) return reported[0] ? `${type}: ${reported[0]}` : type;
  }
  return lines.map((l) => PYTEST_SUMMARY.exec(l)?.[1]?.trim() ?? "").find((l) => EXCEPTION_LINE.test(l));
}

export function classifyFailure(
  output: string,
  options: { timedOut?: boolean; repoDir: string; repoFiles: Set<string>; configKeys: string[] },
): Failure {
  const lines = output.split("\n").map((l) => l.trimEnd());
  const files: string[] = [];
  for (const line of lines) {
    // A Python traceback's `File "x.py", line 3`, or pytest's `x.py:3: in f` / `x.py:3: KeyError`.
    const m = /^\s*File "([^"]+)", line \d+/.exec(line) ?? /^([^\s:"]+\.py):\d+:(?: |$)/.exec(line);
    if (!m) continue;
    const rel = isAbsolute(m[1]!) ? relative(options.repoDir, m[1]!) : m[1]!;
    const path = posix.normalize(rel.split("\\").join("/"));
    if (!path.startsWith("..") && options.repoFiles.has(path) && files.at(-1) !== path) files.push(path);
  }
  if (options.timedOut) return { kind: "timeout", summary: "the smoke run did not finish within its time limit", files };
  const exception =
    pytestException(lines) ??
    [...lines]
      .reverse()
      .map((l) => l.trim())
      .find((l) => EXCEPTION_LINE.test(l));
  if (!exception) {
    const last = [...lines].reverse().find((l) => l.trim()) ?? "(no output)";
    return { kind: "other", summary: last.trim(), files };
  }
  const [, name, message = ""] = EXCEPTION_LINE.exec(exception)!;
  const type = name!.split(".").at(-1)!;
  const kind = ((): FailureClass => {
    if (type === "ModuleNotFoundError") {
      const module = /No module named '([^']+)'/.exec(message)?.[1]?.split(".")[0] ?? "";
      const local = options.repoFiles.has(`${module}.py`) || [...options.repoFiles].some((f) => f.startsWith(`${module}/`));
      return local ? "import-error" : "missing-dependency";
    }
    if (type === "ImportError") return "import-error";
    if (type === "NameError") {
      // A module's name used without its import is a missing import; any other name is a mistake in the code.
      const name = /name '([^']+)' is not defined/.exec(message)?.[1] ?? "";
      return COMMON_MODULES.has(name) ? "import-error" : "name-error";
    }
    if (["SyntaxError", "IndentationError", "TabError"].includes(type)) return "syntax";
    if (type === "KeyError") {
      const key = /^['"]?([^'"]+)['"]?$/.exec(message.trim())?.[1] ?? "";
      const segments = new Set(options.configKeys.flatMap((k) => k.split(".")));
      return segments.has(key) || /config|cfg|smoke/i.test(output) ? "config-key" : "type-value-error";
    }
    if (["FileNotFoundError", "IsADirectoryError", "NotADirectoryError"].includes(type)) return "data-path";
    if (
      [
        "TypeError",
        "ValueError",
        "AttributeError",
        "IndexError",
        "ZeroDivisionError",
        "AssertionError",
        "RuntimeError",
        "UnboundLocalError",
      ].includes(type)
    )
      return "type-value-error";
    return "other";
  })();
  return { kind, summary: exception, files: files.map((f) => posix.normalize(f)) };
}
