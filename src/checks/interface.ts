import type { Node } from "web-tree-sitter";
import { pythonParser } from "./python.js";

/**
 * A module's public interface in a few lines: top-level classes with their
 * method signatures, functions with theirs, and upper-case constants. What a
 * coder needs to call a file it does not import directly, at a fraction of its tokens.
 */
export function publicInterface(source: string): Promise<string> {
  // Every file importing config.py asks for its interface: each source is parsed once.
  let found = interfaces.get(source);
  if (found) return found;
  found = extractInterface(source);
  interfaces.set(source, found);
  found.catch(() => interfaces.delete(source));
  if (interfaces.size > INTERFACES_KEPT) interfaces.delete(interfaces.keys().next().value!);
  return found;
}

const INTERFACES_KEPT = 256;
const interfaces = new Map<string, Promise<string>>();

async function extractInterface(source: string): Promise<string> {
  const parser = await pythonParser();
  const tree = parser?.parse(source);
  if (!tree) return interfaceByLines(source);
  try {
    return interfaceLines(tree.rootNode).join("\n");
  } finally {
    tree.delete();
  }
}

function interfaceLines(root: Node): string[] {
  const lines: string[] = [];
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if (!definition) continue;
    if (definition.type === "function_definition" && isPublic(definition)) lines.push(header(definition), ...docLine(definition, "    "));
    else if (definition.type === "class_definition" && isPublic(definition)) {
      lines.push(header(definition), ...docLine(definition, "    "));
      const attributes = new Set<string>();
      for (const member of definition.childForFieldName("body")?.namedChildren ?? []) {
        const method = member?.type === "decorated_definition" ? member.childForFieldName("definition") : member;
        if (method?.type !== "function_definition") continue;
        if (isPublic(method) || method.childForFieldName("name")?.text === "__init__")
          lines.push(`    ${header(method)}`, ...docLine(method, "        "));
        collectAttributes(method, attributes);
      }
      // What callers read off an instance (net.h, trainer.optimizer) is part of its interface too.
      const publicAttributes = [...attributes].filter((a) => !a.startsWith("_"));
      if (publicAttributes.length) lines.push(`    # attributes: ${publicAttributes.join(", ")}`);
    } else if (definition.type === "expression_statement" && definition.firstNamedChild?.type === "assignment") {
      const name = definition.firstNamedChild.childForFieldName("left")?.text ?? "";
      if (/^[A-Z][A-Z0-9_]*$/.test(name)) lines.push(definition.text.split("\n")[0]!.slice(0, 120));
    }
  }
  return lines;
}

/** The first line of a definition's docstring, as a comment line. */
function docLine(definition: Node, indent: string): string[] {
  const first = definition.childForFieldName("body")?.namedChildren[0];
  const string = first?.type === "expression_statement" ? first.namedChildren[0] : undefined;
  if (string?.type !== "string") return [];
  const text = string.text
    .replace(/^[rRuU]?("""|'''|"|')/, "")
    .replace(/("""|'''|"|')$/, "")
    .trim()
    .split("\n")[0]!
    .trim();
  return text ? [`${indent}"""${text.slice(0, 160)}"""`] : [];
}

/** Names a method assigns on self (`self.w1 = ...`). */
function collectAttributes(method: Node, into: Set<string>) {
  const visit = (n: Node) => {
    if (n.type === "assignment") {
      const left = n.childForFieldName("left");
      if (left?.type === "attribute" && left.childForFieldName("object")?.text === "self")
        into.add(left.childForFieldName("attribute")!.text);
    }
    if (n.type !== "function_definition" || n === method) for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(method);
}

const isPublic = (definition: Node) => !(definition.childForFieldName("name")?.text ?? "_").startsWith("_");

/** `def name(params) -> type` or `class Name(bases)`: the text up to the body, on one line. */
function header(definition: Node): string {
  const body = definition.childForFieldName("body");
  const text = body ? definition.text.slice(0, body.startIndex - definition.startIndex) : definition.text;
  return text
    .replace(/\s+/g, " ")
    .replace(/\s*:\s*$/, "")
    .replace(/\(\s+/g, "(")
    .replace(/,\s*\)/g, ")")
    .trim();
}

function interfaceByLines(source: string): string {
  return source
    .split("\n")
    .filter((l) => /^(class|def|async def) [A-Za-z]/.test(l) || /^ {4}(async )?def (?!_)|^ {4}def __init__/.test(l))
    .map((l) => l.replace(/:\s*$/, ""))
    .join("\n");
}
