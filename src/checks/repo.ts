import { posix } from "node:path";
import { DISTRIBUTION_OF, requirementName, STDLIB } from "./packages.js";
import { configKeyReads } from "./config-reads.js";
import { analysePython, type PyModuleFacts } from "./python.js";
import { checkShellScript } from "./shell.js";

/** Files paper2code writes itself after the checks, which scripts may use. */
const WRITTEN_LATER = ["config.yaml", "requirements.txt", "README.md"];

export type CheckKind = "syntax" | "import" | "imported-name" | "requirement" | "config-key" | "entrypoint" | "shell";

export interface CodeIssue {
  check: CheckKind;
  file: string;
  line?: number;
  message: string;
  /** For a missing requirement: the distribution to add. */
  requirement?: string;
  /** The coder's reason for keeping the code as it is, when it disputed this finding. */
  disputed?: string;
  /** The repository cannot start with it (a broken script, no entry point): a run ending with it has failed its checks. */
  blocking?: boolean;
}

export interface CodeCheckReport {
  ok: boolean;
  filesChecked: number;
  issues: CodeIssue[];
  counts: Record<CheckKind, number>;
}

export interface RepositoryUnderCheck {
  /** Generated files by repository path. */
  files: Map<string, string>;
  /** Dotted keys of config.yaml; undefined when config.yaml does not parse (key checks are skipped). */
  configKeys?: string[];
  requirements: string[];
  entrypoint: string;
}

/** The module a dotted import names, as a repository file, if it is one. */
function resolveModule(files: Map<string, string>, from: string, module: string, level: number): string | undefined {
  const parts = module ? module.split(".") : [];
  const bases: string[] = [];
  if (level > 0) {
    let dir = posix.dirname(from);
    for (let i = 1; i < level; i++) dir = posix.dirname(dir);
    bases.push(dir === "." ? "" : dir);
  } else {
    // Scripts run from the repository root; a file's own folder is on sys.path when it runs as a script.
    bases.push("", posix.dirname(from) === "." ? "" : posix.dirname(from));
  }
  for (const base of bases) {
    const stem = posix.join(base, ...parts);
    for (const candidate of [`${stem}.py`, posix.join(stem, "__init__.py")]) {
      if (files.has(candidate.replace(/^\.\//, ""))) return candidate.replace(/^\.\//, "");
    }
  }
  return undefined;
}

function isPackageDir(files: Map<string, string>, dir: string): boolean {
  return [...files.keys()].some((f) => f.startsWith(`${dir}/`));
}

/**
 * Static checks of a generated repository: Python syntax, intra-repository
 * imports and imported names, third-party imports covered by requirements.txt,
 * config keys read by the code present in config.yaml, shell scripts (see
 * shell.ts), and an entry point.
 */
export async function checkRepository(repo: RepositoryUnderCheck): Promise<CodeCheckReport> {
  const issues: CodeIssue[] = [];
  const facts = new Map<string, PyModuleFacts>();
  for (const [path, source] of repo.files) {
    if (path.endsWith(".py")) facts.set(path, await analysePython(source));
  }
  const required = new Set(repo.requirements.map(requirementName));
  const keys = repo.configKeys ? new Set(repo.configKeys) : undefined;

  for (const [path, f] of facts) {
    // One syntax issue per file: a parser's later errors mostly follow from its first.
    const [first, ...more] = f.syntaxErrors;
    if (first)
      issues.push({
        check: "syntax",
        file: path,
        line: first.line,
        message: `${first.message}${more.length ? ` (and ${more.length} more)` : ""}`,
      });
    for (const imp of f.imports) {
      const target = resolveModule(repo.files, path, imp.module, imp.level);
      const top = imp.module.split(".")[0]!;
      if (target) {
        const targetFacts = facts.get(target);
        // A module with a syntax error has unreliable definitions: its own syntax issue covers it.
        if (!targetFacts || targetFacts.starImport || targetFacts.syntaxErrors.length > 0) continue;
        for (const name of imp.names) {
          if (name === "*" || targetFacts.defines.has(name)) continue;
          const submodule = resolveModule(repo.files, path, imp.module ? `${imp.module}.${name}` : name, imp.level);
          if (submodule) continue;
          issues.push({
            check: "imported-name",
            file: path,
            line: imp.line,
            message: `imports ${name} from ${target}, which does not define it`,
          });
        }
        continue;
      }
      if (imp.level > 0) {
        issues.push({
          check: "import",
          file: path,
          line: imp.line,
          message: `relative import of ${".".repeat(imp.level)}${imp.module} does not resolve to a generated file`,
        });
        continue;
      }
      if (STDLIB.has(top)) continue;
      const distribution = DISTRIBUTION_OF[top];
      const local = isPackageDir(repo.files, top) || repo.files.has(`${top}.py`);
      if (required.has(top.toLowerCase().replace(/_/g, "-")) || (distribution && required.has(distribution))) continue;
      if (distribution && !local) {
        issues.push({
          check: "requirement",
          file: path,
          line: imp.line,
          message: `imports ${top}, but requirements.txt lacks ${distribution}`,
          requirement: distribution,
        });
      } else {
        issues.push({
          check: "import",
          file: path,
          line: imp.line,
          message: `imports ${imp.module}, which is neither a generated file, the standard library, nor in requirements.txt`,
        });
      }
    }
  }
  if (keys) issues.push(...(await missingConfigKeys(repo.files, keys)));
  const present = new Set([...repo.files.keys(), ...WRITTEN_LATER]);
  for (const [path, source] of repo.files) {
    if (!/\.(sh|bash)$/.test(path)) continue;
    for (const finding of checkShellScript(path, source, present))
      issues.push({ check: "shell", file: path, line: finding.line, message: finding.message, blocking: true });
  }

  const scripts = [...repo.files.keys()].filter((p) => /\.(sh|bash)$/.test(p));
  const entry = repo.entrypoint;
  if (!repo.files.has(entry)) {
    // With a reproduce.sh, what it runs is the entry point, and its own check judges that.
    issues.push({
      check: "entrypoint",
      file: entry,
      message: `the entry point ${entry} was not generated`,
      blocking: !scripts.includes("reproduce.sh"),
    });
  } else if (entry.endsWith(".py") && !facts.get(entry)?.hasMainGuard) {
    issues.push({ check: "entrypoint", file: entry, message: `the entry point ${entry} has no \`if __name__ == "__main__":\` block` });
  }

  const counts = { syntax: 0, import: 0, "imported-name": 0, requirement: 0, "config-key": 0, entrypoint: 0, shell: 0 } as Record<
    CheckKind,
    number
  >;
  for (const issue of issues) counts[issue.check]++;
  return { ok: issues.length === 0, filesChecked: facts.size + scripts.length, issues, counts };
}

/**
 * Reads of config keys that would raise at run time: a subscript of a key
 * config.yaml lacks, on a value that comes from config.yaml (see config-reads.ts),
 * not guarded and not written by the code itself. One report per key and file:
 * the shallowest missing key of a chain.
 */
async function missingConfigKeys(files: Map<string, string>, keys: Set<string>): Promise<CodeIssue[]> {
  const { reads, written } = await configKeyReads(files, keys);
  const issues: CodeIssue[] = [];
  const reported = new Set<string>();
  for (const read of reads) {
    const dotted = read.path.join(".");
    if (keys.has(dotted) || reported.has(`${read.file}\0${dotted}`)) continue;
    const prefixes = read.path.slice(0, -1).map((_, i) => read.path.slice(0, i + 1).join("."));
    if ([dotted, ...prefixes].some((p) => written.has(p))) continue;
    // Below a leaf (a list indexed by a string, a scalar): not a key of config.yaml's mappings.
    if (prefixes.some((p) => keys.has(p) && !hasChildren(keys, p))) continue;
    const parent = prefixes.at(-1);
    if (parent !== undefined && !keys.has(parent) && !read.viaGet) continue; // the parent's own read is the one to report
    reported.add(`${read.file}\0${dotted}`);
    const how = read.viaGet ? ` through a .get() with no default, so it is None when missing` : "";
    issues.push({
      check: "config-key",
      file: read.file,
      line: read.line,
      message: `${read.text} reads config key ${dotted}${how}, which config.yaml does not have`,
    });
  }
  return issues;
}

function hasChildren(keys: Set<string>, prefix: string): boolean {
  for (const k of keys) if (k.startsWith(`${prefix}.`)) return true;
  return false;
}
