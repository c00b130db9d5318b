import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

/**
 * Static facts about a Python module from tree-sitter's Python grammar (WASM,
 * in-process): syntax errors, what it defines, what it imports, which config
 * keys it reads, whether it has a main guard. Nothing is executed.
 */

export interface PyImport {
  /** Dotted module name without leading dots ("" for `from . import x`). */
  module: string;
  /** Leading dots of a relative import. */
  level: number;
  /** Names imported with `from m import a, b`; empty for `import m`. */
  names: string[];
  line: number;
}

export interface PyModuleFacts {
  syntaxErrors: { line: number; message: string }[];
  defines: Set<string>;
  /** `from x import *` somewhere at top level: any name may be defined. */
  starImport: boolean;
  imports: PyImport[];
  hasMainGuard: boolean;
}

let parserPromise: Promise<Parser | undefined> | undefined;

async function loadParser(): Promise<Parser | undefined> {
  try {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  } catch {
    return undefined;
  }
}

export function pythonParser(): Promise<Parser | undefined> {
  parserPromise ??= loadParser();
  return parserPromise;
}

const line = (node: Node) => node.startPosition.row + 1;

function walk(node: Node, visit: (n: Node) => void) {
  visit(node);
  for (const child of node.namedChildren) if (child) walk(child, visit);
}

export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "string") return undefined;
  const content = node.namedChildren.filter((c) => c?.type === "string_content").map((c) => c!.text);
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return undefined;
  return content.join("");
}

function topLevelDefines(root: Node, facts: PyModuleFacts) {
  const visit = (stmt: Node) => {
    switch (stmt.type) {
      case "function_definition":
      case "class_definition": {
        const name = stmt.childForFieldName("name");
        if (name) facts.defines.add(name.text);
        break;
      }
      case "decorated_definition": {
        const def = stmt.childForFieldName("definition");
        if (def) visit(def);
        break;
      }
      case "expression_statement":
        for (const child of stmt.namedChildren) {
          if (child?.type !== "assignment" && child?.type !== "augmented_assignment") continue;
          const left = child.childForFieldName("left");
          if (left) walk(left, (n) => n.type === "identifier" && n.parent?.type !== "attribute" && facts.defines.add(n.text));
        }
        break;
      case "import_statement":
        for (const name of stmt.namedChildren) {
          if (name?.type === "aliased_import") facts.defines.add(name.childForFieldName("alias")!.text);
          else if (name?.type === "dotted_name") facts.defines.add(name.text.split(".")[0]!);
        }
        break;
      case "import_from_statement":
        for (const name of stmt.childrenForFieldName("name")) {
          if (name?.type === "aliased_import") facts.defines.add(name.childForFieldName("alias")!.text);
          else if (name) facts.defines.add(name.text.split(".").at(-1)!);
        }
        if (stmt.namedChildren.some((c) => c?.type === "wildcard_import")) facts.starImport = true;
        break;
      case "if_statement":
      case "try_statement":
      case "with_statement":
      case "block":
      case "else_clause":
      case "except_clause":
      case "finally_clause":
        for (const child of stmt.namedChildren) if (child) visit(child);
        break;
    }
  };
  for (const stmt of root.namedChildren) if (stmt) visit(stmt);
}

export async function analysePython(source: string): Promise<PyModuleFacts> {
  const facts: PyModuleFacts = { syntaxErrors: [], defines: new Set(), starImport: false, imports: [], hasMainGuard: false };
  const parser = await pythonParser();
  if (!parser) {
    facts.syntaxErrors.push(...syntaxErrorsWithPython3(source));
    facts.hasMainGuard = /^if\s+__name__\s*==\s*["']__main__["']\s*:/m.test(source);
    return facts;
  }
  const tree = parser.parse(source);
  if (!tree) return facts;
  const root = tree.rootNode;
  if (root.hasError) {
    // One report per problem: the outermost ERROR node (not its children), or a MISSING token.
    const visit = (n: Node) => {
      if (n.type === "ERROR") {
        facts.syntaxErrors.push({ line: line(n), message: `syntax error near ${JSON.stringify(n.text.split("\n")[0]!.slice(0, 60))}` });
        return;
      }
      if (n.isMissing) {
        facts.syntaxErrors.push({ line: line(n), message: `missing ${n.type}` });
        return;
      }
      for (const child of n.children) if (child && (child.hasError || child.isMissing)) visit(child);
    };
    visit(root);
    if (facts.syntaxErrors.length === 0) facts.syntaxErrors.push({ line: 1, message: "syntax error" });
  }
  topLevelDefines(root, facts);

  walk(root, (n) => {
    if (n.type === "import_statement") {
      for (const name of n.namedChildren) {
        const dotted = name?.type === "aliased_import" ? name.childForFieldName("name") : name;
        if (dotted?.type === "dotted_name") facts.imports.push({ module: dotted.text, level: 0, names: [], line: line(n) });
      }
    } else if (n.type === "import_from_statement") {
      const moduleNode = n.childForFieldName("module_name");
      let module = moduleNode?.text ?? "";
      let level = 0;
      if (moduleNode?.type === "relative_import") {
        const prefix = moduleNode.namedChildren.find((c) => c?.type === "import_prefix")?.text ?? "";
        level = prefix.length;
        module = moduleNode.namedChildren.find((c) => c?.type === "dotted_name")?.text ?? "";
      }
      const names = n.childrenForFieldName("name").map((c) => (c?.type === "aliased_import" ? c.childForFieldName("name")!.text : c!.text));
      facts.imports.push({ module, level, names, line: line(n) });
    } else if (n.type === "if_statement" && n.parent?.type === "module") {
      if (/__name__\s*==\s*["']__main__["']|["']__main__["']\s*==\s*__name__/.test(n.childForFieldName("condition")?.text ?? ""))
        facts.hasMainGuard = true;
    }
  });
  tree.delete();
  return facts;
}

/** Fallback when the WASM grammar cannot load: python3's own parser (ast.parse parses, never runs). */
function syntaxErrorsWithPython3(source: string): { line: number; message: string }[] {
  const result = spawnSync(
    "python3",
    ["-c", "import ast,sys\ntry:\n ast.parse(sys.stdin.read())\nexcept SyntaxError as e:\n print(e.lineno or 1, e.msg)"],
    { input: source, encoding: "utf8", timeout: 10_000 },
  );
  if (result.error || !result.stdout.trim()) return [];
  const [lineNo, ...message] = result.stdout.trim().split(" ");
  return [{ line: Number(lineNo) || 1, message: message.join(" ") }];
}
