import type { Node } from "web-tree-sitter";
import { pythonParser } from "./python.js";

/**
 * A module's public interface in a few lines: top-level classes with their
 * method signatures, functions with theirs, and upper-case constants. What a
 * coder needs to call a file it does not import directly, at a fraction of its tokens.
 */
export async function publicInterface(source: string): Promise<string> {
  const parser = await pythonParser();
  const tree = parser?.parse(source);
  if (!tree) return interfaceByLines(source);
  const lines: string[] = [];
  for (const statement of tree.rootNode.namedChildren) {
    if (!statement) continue;
    const definition = statement.type === "decorated_definition" ? statement.childForFieldName("definition") : statement;
    if (!definition) continue;
    if (definition.type === "function_definition" && isPublic(definition)) lines.push(header(definition));
    else if (definition.type === "class_definition" && isPublic(definition)) {
      lines.push(header(definition));
      for (const member of definition.childForFieldName("body")?.namedChildren ?? []) {
        const method = member?.type === "decorated_definition" ? member.childForFieldName("definition") : member;
        if (method?.type === "function_definition" && (isPublic(method) || method.childForFieldName("name")?.text === "__init__")) {
          lines.push(`    ${header(method)}`);
        }
      }
    } else if (definition.type === "expression_statement" && definition.firstNamedChild?.type === "assignment") {
      const name = definition.firstNamedChild.childForFieldName("left")?.text ?? "";
      if (/^[A-Z][A-Z0-9_]*$/.test(name)) lines.push(definition.text.split("\n")[0]!.slice(0, 120));
    }
  }
  return lines.join("\n");
}

const isPublic = (definition: Node) => !(definition.childForFieldName("name")?.text ?? "_").startsWith("_");

/** `def name(params) -> type` or `class Name(bases)`: the text up to the body, on one line. */
function header(definition: Node): string {
  const body = definition.childForFieldName("body");
  const text = body ? definition.text.slice(0, body.startIndex - definition.startIndex) : definition.text;
  return text.replace(/\s+/g, " ").replace(/\s*:\s*$/, "").replace(/\(\s+/g, "(").replace(/,\s*\)/g, ")").trim();
}

function interfaceByLines(source: string): string {
  return source
    .split("\n")
    .filter((l) => /^(class|def|async def) [A-Za-z]/.test(l) || /^ {4}(async )?def (?!_)|^ {4}def __init__/.test(l))
    .map((l) => l.replace(/:\s*$/, ""))
    .join("\n");
}
