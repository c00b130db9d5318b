import type { Node, Tree } from "web-tree-sitter";
import { pythonParser, stringValue } from "./python.js";

/**
 * Which config keys a generated repository reads in a way that raises when the
 * key is missing, found from where each value comes from rather than from what
 * a variable is called. A value's origin is config.yaml (a `yaml.safe_load`, a
 * repository function that returns one) or a part of it: an alias
 * (`t = cfg["training"]`), a parameter whose every call site in the repository
 * passes the same part (`PromptBuilder.from_config(cfg["prompts"])`), or an
 * attribute set from one (`self.cfg = cfg`). Only subscripts raise: a `.get` does
 * not (a `.get` without a default that is then subscripted does), writes create
 * keys, and reads under `"k" in cfg`, a `.get` test or a `try/except KeyError`
 * are guarded. Local dicts, and parameters whose call sites disagree or are not
 * in the repository, are not config: nothing is said about them.
 */

export interface ConfigKeyRead {
  file: string;
  line: number;
  /** The dotted key read. */
  path: string[];
  /** The expression as written, e.g. `prompts_cfg["strategy"]`. */
  text: string;
  /** Reached through a `.get` with no default: the value is None when the key is missing. */
  viaGet?: boolean;
}

type Origin = { kind: "config"; path: string[]; maybeNone?: boolean } | { kind: "other" } | { kind: "unknown" };
const OTHER: Origin = { kind: "other" };
const UNKNOWN: Origin = { kind: "unknown" };
const configAt = (path: string[], maybeNone = false): Origin => ({ kind: "config", path, ...(maybeNone ? { maybeNone } : {}) });

function sameOrigin(a: Origin, b: Origin): boolean {
  if (a.kind !== b.kind) return false;
  return (
    a.kind !== "config" || (b.kind === "config" && a.path.join("\0") === b.path.join("\0") && Boolean(a.maybeNone) === Boolean(b.maybeNone))
  );
}

/** What several call sites (or assignments) agree on: one part of the config, not config, or unknown. */
function merge(a: Origin | undefined, b: Origin): Origin {
  if (!a) return b;
  return sameOrigin(a, b) ? a : UNKNOWN;
}

interface FunctionInfo {
  name: string;
  file: string;
  node: Node;
  params: string[];
  /** Methods skip their first parameter (self, cls) at call sites. */
  skipFirst: boolean;
  className?: string;
  parent?: FunctionInfo;
}

interface ClassInfo {
  name: string;
  bases: string[];
}

const YAML_LOADERS = /^(yaml\.)?(safe_load|load|full_load|unsafe_load)$|^OmegaConf\.(load|to_container)$/;
const CATCHES_KEY_ERROR = /^(KeyError|LookupError|Exception|BaseException|TypeError)$/;

const line = (node: Node) => node.startPosition.row + 1;
const children = (node: Node | null | undefined) => (node ? node.namedChildren.filter((c): c is Node => Boolean(c)) : []);

function parameterNames(fn: Node): string[] {
  const names: string[] = [];
  for (const p of children(fn.childForFieldName("parameters"))) {
    if (p.type === "identifier") names.push(p.text);
    else if (p.type === "typed_parameter") names.push(children(p).find((c) => c.type === "identifier")?.text ?? "");
    else if (p.type === "default_parameter" || p.type === "typed_default_parameter") names.push(p.childForFieldName("name")?.text ?? "");
    else names.push(""); // *args, **kwargs, /, *
  }
  return names;
}

interface Events {
  call(
    callee: { name: string; viaSelf: boolean; viaSuper?: boolean; className?: string },
    args: Origin[],
    keywords: Map<string, Origin>,
  ): void;
  returned(origin: Origin): void;
  attribute(className: string, attr: string, origin: Origin): void;
  read(read: ConfigKeyRead, guarded: boolean): void;
  write(path: string[]): void;
}

interface Scope {
  file: string;
  fn?: FunctionInfo;
  className?: string;
  env: Map<string, Origin>;
  parent?: Scope;
  /** Keys guarded by a membership test or a try/except around the code being walked. */
  guards: Set<string>;
  guardAll: boolean;
}

class RepositoryModel {
  readonly functions: FunctionInfo[] = [];
  readonly classes = new Map<string, ClassInfo>();
  readonly params = new Map<FunctionInfo, (Origin | undefined)[]>();
  readonly returns = new Map<FunctionInfo, Origin | undefined>();
  readonly attributes = new Map<string, Origin | undefined>();
  readonly globals = new Map<string, Map<string, Origin>>();

  constructor(
    readonly trees: Map<string, Tree>,
    readonly keys: Set<string>,
  ) {
    for (const [file, tree] of trees) this.collect(tree.rootNode, file);
  }

  private collect(node: Node, file: string, className?: string, parent?: FunctionInfo) {
    for (const child of children(node)) {
      const def = child.type === "decorated_definition" ? child.childForFieldName("definition") : child;
      if (!def) continue;
      if (def.type === "function_definition") {
        const params = parameterNames(def);
        const info: FunctionInfo = {
          name: def.childForFieldName("name")?.text ?? "",
          file,
          node: def,
          params,
          skipFirst: Boolean(className) && /^(self|cls)$/.test(params[0] ?? ""),
          className,
          parent,
        };
        this.functions.push(info);
        this.collect(def.childForFieldName("body")!, file, undefined, info);
      } else if (def.type === "class_definition") {
        const name = def.childForFieldName("name")?.text ?? "";
        const bases = children(def.childForFieldName("superclasses")).map((b) => b.text.split(".").at(-1)!);
        this.classes.set(name, { name, bases });
        this.collect(def.childForFieldName("body")!, file, name, parent);
      } else if (
        [
          "if_statement",
          "try_statement",
          "with_statement",
          "block",
          "else_clause",
          "except_clause",
          "finally_clause",
          "elif_clause",
          "for_statement",
          "while_statement",
        ].includes(def.type)
      ) {
        this.collect(def, file, className, parent);
      }
    }
  }

  /** The functions a call may reach, by name: methods of the class first for `self.m(...)`, `__init__` for `Class(...)`. */
  callees(callee: { name: string; viaSelf: boolean; viaSuper?: boolean; className?: string }): { fn: FunctionInfo; offset: number }[] {
    if (callee.viaSuper) {
      // super().m(...): the first base class of the repository's that has m.
      for (const base of this.classes.get(callee.className ?? "")?.bases ?? []) {
        const method = this.methodOf(base, callee.name);
        if (method) return [{ fn: method, offset: 1 }];
      }
      return [];
    }
    if (callee.name === "__init__") return [];
    if (this.classes.has(callee.name)) {
      const init = this.methodOf(callee.name, "__init__");
      return init ? [{ fn: init, offset: 1 }] : [];
    }
    if (callee.viaSelf && callee.className) {
      const method = this.methodOf(callee.className, callee.name);
      if (method) return [{ fn: method, offset: 1 }];
    }
    return this.functions.filter((f) => f.name === callee.name && !f.parent).map((fn) => ({ fn, offset: fn.skipFirst ? 1 : 0 }));
  }

  methodOf(className: string, name: string, seen = new Set<string>()): FunctionInfo | undefined {
    if (seen.has(className)) return undefined;
    seen.add(className);
    const own = this.functions.find((f) => f.className === className && f.name === name);
    if (own) return own;
    for (const base of this.classes.get(className)?.bases ?? []) {
      const inherited = this.methodOf(base, name, seen);
      if (inherited) return inherited;
    }
    return undefined;
  }

  attributeOf(className: string, attr: string, seen = new Set<string>()): Origin | undefined {
    if (seen.has(className)) return undefined;
    seen.add(className);
    const own = this.attributes.get(`${className}.${attr}`);
    if (own) return own;
    for (const base of this.classes.get(className)?.bases ?? []) {
      const inherited = this.attributeOf(base, attr, seen);
      if (inherited) return inherited;
    }
    return undefined;
  }

  /** A name resolved in the function's scope, its enclosing ones, then the module's globals (and any module's, for imports). */
  lookup(scope: Scope, name: string): Origin | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = s.env.get(name);
      if (found) return found;
    }
    const own = this.globals.get(scope.file)?.get(name);
    if (own) return own;
    const elsewhere = [...this.globals.values()].flatMap((g) => (g.has(name) ? [g.get(name)!] : []));
    return elsewhere.length === 1 ? elsewhere[0] : undefined;
  }
}

/** Walks one function (or a module's top level) once, in order, reporting what it sees. */
class Walker {
  constructor(
    private readonly model: RepositoryModel,
    private readonly events: Events,
  ) {}

  run(scope: Scope, body: Node) {
    this.block(scope, body);
  }

  private block(scope: Scope, block: Node) {
    const statements = children(block);
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      const guard = this.statement(scope, statement);
      // `if "k" not in cfg: return` guards the rest of the block.
      if (guard) for (const g of guard) scope.guards.add(g);
    }
  }

  /** Evaluate a statement; returns keys it guards for the statements after it. */
  private statement(scope: Scope, node: Node): string[] | undefined {
    switch (node.type) {
      case "expression_statement":
        for (const child of children(node)) this.expressionStatement(scope, child);
        return undefined;
      case "return_statement": {
        const value = children(node)[0];
        this.events.returned(value ? this.origin(scope, value) : OTHER);
        return undefined;
      }
      case "if_statement":
        return this.ifStatement(scope, node);
      case "try_statement": {
        const catches = children(node).some(
          (c) =>
            c.type === "except_clause" &&
            (children(c).length === 0 ||
              children(c).some(
                (t) => t.type !== "block" && t.text.split(/[\s,()]+/).some((n) => CATCHES_KEY_ERROR.test(n.split(".").at(-1)!)),
              )),
        );
        const inner = { ...scope, guards: new Set(scope.guards), guardAll: scope.guardAll || catches };
        const body = node.childForFieldName("body");
        if (body) this.block(inner, body);
        for (const clause of children(node).filter((c) => c.type !== "block")) {
          const block = children(clause).find((c) => c.type === "block");
          if (block) this.block(scope, block);
        }
        return undefined;
      }
      case "for_statement": {
        const right = node.childForFieldName("right");
        if (right) this.origin(scope, right);
        const left = node.childForFieldName("left");
        for (const name of left ? identifiers(left) : []) scope.env.set(name, UNKNOWN);
        const body = node.childForFieldName("body");
        if (body) this.block(scope, body);
        const alternative = node.childForFieldName("alternative");
        if (alternative) this.nested(scope, alternative);
        return undefined;
      }
      case "while_statement": {
        const condition = node.childForFieldName("condition");
        if (condition) this.origin(scope, condition);
        const body = node.childForFieldName("body");
        if (body) this.block(scope, body);
        return undefined;
      }
      case "with_statement": {
        for (const item of children(children(node).find((c) => c.type === "with_clause"))) {
          const value = item.childForFieldName("value") ?? children(item)[0];
          if (!value) continue;
          if (value.type === "as_pattern") {
            const origin = this.origin(scope, children(value)[0]!);
            const alias = value.childForFieldName("alias");
            for (const name of alias ? identifiers(alias) : []) scope.env.set(name, origin);
          } else this.origin(scope, value);
        }
        const body = node.childForFieldName("body");
        if (body) this.block(scope, body);
        return undefined;
      }
      case "function_definition":
      case "class_definition":
      case "decorated_definition":
        return undefined; // walked on their own
      case "match_statement":
      case "block":
        this.nested(scope, node);
        return undefined;
      default:
        for (const child of children(node)) if (isExpression(child)) this.origin(scope, child);
        return undefined;
    }
  }

  private nested(scope: Scope, node: Node) {
    for (const child of children(node)) {
      if (child.type === "block") this.block(scope, child);
      else if (isExpression(child)) this.origin(scope, child);
      else this.nested(scope, child);
    }
  }

  private expressionStatement(scope: Scope, node: Node) {
    if (node.type === "assignment" || node.type === "augmented_assignment") {
      const left = node.childForFieldName("left");
      const right = node.childForFieldName("right");
      const value = right ? this.origin(scope, right) : OTHER;
      if (left) this.assign(scope, left, node.type === "augmented_assignment" ? OTHER : value, node.type === "augmented_assignment");
      return;
    }
    this.origin(scope, node);
  }

  private assign(scope: Scope, target: Node, value: Origin, augmented: boolean) {
    if (target.type === "identifier") {
      scope.env.set(target.text, value);
      return;
    }
    if (target.type === "attribute") {
      const object = target.childForFieldName("object");
      const attr = target.childForFieldName("attribute")?.text ?? "";
      if (object?.type === "identifier" && object.text === "self" && scope.className) this.events.attribute(scope.className, attr, value);
      else if (object) this.origin(scope, object);
      return;
    }
    if (target.type === "subscript") {
      // cfg["a"]["b"] = v reads cfg["a"] (it must exist) and writes a.b.
      const base = target.childForFieldName("value");
      const key = stringValue(target.childForFieldName("subscript"));
      const origin = base ? this.origin(scope, base) : OTHER;
      if (origin.kind === "config" && key !== undefined) {
        this.events.write([...origin.path, key]);
        if (augmented) this.readAt(scope, target, [...origin.path, key], origin.maybeNone);
      }
      return;
    }
    for (const name of identifiers(target)) scope.env.set(name, OTHER);
  }

  private ifStatement(scope: Scope, node: Node): string[] | undefined {
    const condition = node.childForFieldName("condition");
    if (condition) this.origin(scope, condition);
    const { present, absent } = condition ? this.membership(scope, condition) : { present: [], absent: [] };
    const consequence = node.childForFieldName("consequence");
    if (consequence) this.block({ ...scope, guards: new Set([...scope.guards, ...present]) }, consequence);
    for (const alternative of node.childrenForFieldName("alternative")) {
      if (!alternative) continue;
      const guards = new Set([...scope.guards, ...absent]);
      if (alternative.type === "elif_clause") {
        this.ifStatement({ ...scope, guards }, alternative);
      } else {
        const block = children(alternative).find((c) => c.type === "block");
        if (block) this.block({ ...scope, guards }, block);
      }
    }
    // `if "k" not in cfg: return/raise/continue` leaves only code where k is there.
    const last = consequence ? children(consequence).at(-1) : undefined;
    if (last && /^(return_statement|raise_statement|continue_statement|break_statement)$/.test(last.type)) return absent;
    return undefined;
  }

  /** Keys a condition tests: `"k" in cfg`, `cfg.get("k")`; and those it tests for absence (`"k" not in cfg`). */
  private membership(scope: Scope, condition: Node): { present: string[]; absent: string[] } {
    const present: string[] = [];
    const absent: string[] = [];
    const visit = (n: Node) => {
      if (n.type === "comparison_operator") {
        const operators = n.children
          .filter((c) => c && !c.isNamed)
          .map((c) => c!.text)
          .join(" ");
        const [left, right] = children(n);
        const key = stringValue(left);
        const origin = right ? this.peek(scope, right) : OTHER;
        if (key !== undefined && origin.kind === "config")
          (/not\s+in/.test(operators) ? absent : present).push([...origin.path, key].join("."));
      }
      if (n.type === "call") {
        const fn = n.childForFieldName("function");
        if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "get") {
          const object = fn.childForFieldName("object");
          const key = stringValue(children(n.childForFieldName("arguments"))[0]);
          const origin = object ? this.peek(scope, object) : OTHER;
          if (key !== undefined && origin.kind === "config") present.push([...origin.path, key].join("."));
        }
      }
      for (const c of children(n)) visit(c);
    };
    visit(condition);
    return { present, absent };
  }

  /** An expression's origin without reporting its reads again (for conditions already walked). */
  private peek(scope: Scope, node: Node): Origin {
    const silent = new Walker(this.model, { call() {}, returned() {}, attribute() {}, read() {}, write() {} });
    return silent.origin(scope, node);
  }

  private readAt(scope: Scope, node: Node, path: string[], viaGet?: boolean) {
    const dotted = path.join(".");
    const guarded = scope.guardAll || [...scope.guards].some((g) => dotted === g || dotted.startsWith(`${g}.`));
    this.events.read(
      { file: scope.file, line: line(node), path, text: node.text.split("\n")[0]!.slice(0, 80), ...(viaGet ? { viaGet } : {}) },
      guarded,
    );
  }

  origin(scope: Scope, node: Node): Origin {
    switch (node.type) {
      case "identifier":
        return this.model.lookup(scope, node.text) ?? OTHER;
      case "parenthesized_expression":
        return children(node)[0] ? this.origin(scope, children(node)[0]!) : OTHER;
      case "attribute": {
        const object = node.childForFieldName("object");
        const attr = node.childForFieldName("attribute")?.text ?? "";
        if (object?.type === "identifier" && object.text === "self" && scope.className)
          return this.model.attributeOf(scope.className, attr) ?? OTHER;
        if (object) this.origin(scope, object);
        return OTHER;
      }
      case "subscript": {
        const base = node.childForFieldName("value");
        const subscript = node.childForFieldName("subscript");
        const origin = base ? this.origin(scope, base) : OTHER;
        const key = stringValue(subscript);
        if (subscript && key === undefined) this.origin(scope, subscript);
        if (origin.kind !== "config") return origin.kind === "unknown" ? UNKNOWN : OTHER;
        if (key === undefined) return UNKNOWN;
        const path = [...origin.path, key];
        this.readAt(scope, node, path, origin.maybeNone);
        return configAt(path);
      }
      case "call":
        return this.call(scope, node);
      case "conditional_expression": {
        const [yes, condition, no] = children(node);
        const { present, absent } = condition ? this.membership(scope, condition) : { present: [], absent: [] };
        if (condition) this.origin(scope, condition);
        const a = yes ? this.origin({ ...scope, guards: new Set([...scope.guards, ...present]) }, yes) : OTHER;
        const b = no ? this.origin({ ...scope, guards: new Set([...scope.guards, ...absent]) }, no) : OTHER;
        return sameOrigin(a, b) ? a : a.kind === "config" ? a : b.kind === "config" ? b : OTHER;
      }
      case "boolean_operator": {
        const [left, right] = children(node);
        const operator = node.children.find((c) => c && !c.isNamed)?.text;
        const l = left ? this.origin(scope, left) : OTHER;
        const guards = operator === "and" && left ? this.membership(scope, left).present : [];
        const r = right ? this.origin({ ...scope, guards: new Set([...scope.guards, ...guards]) }, right) : OTHER;
        // `cfg.get("x") or {}`: the config part when there is one.
        return l.kind === "config" ? { ...l, maybeNone: false } : r;
      }
      case "named_expression": {
        const value = node.childForFieldName("value");
        const origin = value ? this.origin(scope, value) : OTHER;
        const name = node.childForFieldName("name");
        if (name) scope.env.set(name.text, origin);
        return origin;
      }
      case "lambda":
        return OTHER;
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
      case "generator_expression": {
        const inner: Scope = { ...scope, env: new Map(), parent: scope };
        for (const clause of children(node).filter((c) => c.type === "for_in_clause")) {
          const right = clause.childForFieldName("right");
          if (right) this.origin(inner, right);
          const left = clause.childForFieldName("left");
          for (const name of left ? identifiers(left) : []) inner.env.set(name, UNKNOWN);
        }
        for (const child of children(node).filter((c) => c.type !== "for_in_clause")) this.origin(inner, child);
        return OTHER;
      }
      default:
        for (const child of children(node))
          if (isExpression(child) || child.type === "pair" || child.type === "keyword_argument" || child.type === "argument_list")
            this.origin(scope, child);
        return OTHER;
    }
  }

  private call(scope: Scope, node: Node): Origin {
    const fn = node.childForFieldName("function");
    const argsNode = node.childForFieldName("arguments");
    const positional: Origin[] = [];
    const keywords = new Map<string, Origin>();
    const rawArgs = children(argsNode);
    for (const arg of rawArgs) {
      if (arg.type === "keyword_argument") {
        const value = arg.childForFieldName("value");
        keywords.set(arg.childForFieldName("name")?.text ?? "", value ? this.origin(scope, value) : OTHER);
      } else if (arg.type === "list_splat" || arg.type === "dictionary_splat") {
        this.origin(scope, children(arg)[0] ?? arg);
        positional.push(UNKNOWN);
      } else positional.push(this.origin(scope, arg));
    }
    if (!fn) return OTHER;
    const name = fn.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : fn.type === "identifier" ? fn.text : "";
    const object = fn.type === "attribute" ? fn.childForFieldName("object") : undefined;
    const objectOrigin = object ? this.origin(scope, object) : OTHER;
    const dotted = fn.text.replace(/\s+/g, "");

    if (objectOrigin.kind === "config") {
      const base = objectOrigin;
      const key = stringValue(rawArgs[0]);
      if (name === "get") {
        if (key === undefined) return UNKNOWN;
        const path = [...base.path, key];
        const hasDefault = rawArgs.length >= 2;
        if (this.model.keys.has(path.join("."))) return configAt(path);
        // A default stands in for a missing key; without one the value is None, and subscripting it raises.
        return hasDefault ? OTHER : configAt(path, true);
      }
      if (name === "setdefault" && key !== undefined) {
        this.events.write([...base.path, key]);
        return configAt([...base.path, key]);
      }
      if (name === "update") {
        for (const pair of children(rawArgs[0]).filter((p) => p.type === "pair")) {
          const k = stringValue(pair.childForFieldName("key"));
          if (k !== undefined) this.events.write([...base.path, k]);
        }
        for (const [k] of keywords) this.events.write([...base.path, k]);
        return OTHER;
      }
      if (name === "copy") return base;
      if (name === "pop" && key !== undefined)
        return rawArgs.length >= 2 ? OTHER : (this.readAt(scope, node, [...base.path, key]), configAt([...base.path, key]));
      return UNKNOWN; // .items(), .keys(), .values(): parts of it, not checked
    }
    if (YAML_LOADERS.test(dotted) || (fn.type === "identifier" && /^(safe_load|full_load)$/.test(name))) {
      const literal = stringValue(rawArgs[0]) ?? stringValue(children(rawArgs[0]?.childForFieldName("arguments"))[0]);
      return literal !== undefined && !/config\.ya?ml$/.test(literal) ? OTHER : configAt([]);
    }
    if (/^(copy\.)?deepcopy$|^copy\.copy$|^dict$/.test(dotted) && positional[0]?.kind === "config" && rawArgs.length === 1)
      return positional[0];
    const viaSelf = object?.type === "identifier" && object.text === "self";
    const viaSuper = object?.type === "call" && object.childForFieldName("function")?.text === "super";
    const callee = { name, viaSelf, viaSuper, className: scope.className };
    this.events.call(callee, positional, keywords);
    let returned: Origin | undefined;
    for (const { fn: target } of this.model.callees(callee)) {
      const r = this.model.returns.get(target);
      if (r) returned = merge(returned, r);
    }
    return returned?.kind === "config" ? returned : OTHER;
  }
}

function identifiers(node: Node): string[] {
  if (node.type === "identifier") return [node.text];
  return children(node).flatMap(identifiers);
}

const NOT_EXPRESSIONS = new Set(["comment", "block", "function_definition", "class_definition", "decorated_definition", "pass_statement"]);
const isExpression = (node: Node) => !NOT_EXPRESSIONS.has(node.type) && !node.type.endsWith("_statement") && !node.type.endsWith("_clause");

/** Every raising read of a config key in the repository, with the keys the code itself writes. */
export async function configKeyReads(
  files: Map<string, string>,
  keys: Set<string>,
): Promise<{ reads: ConfigKeyRead[]; written: Set<string> }> {
  const parser = await pythonParser();
  const trees = new Map<string, Tree>();
  if (parser)
    for (const [path, source] of files)
      if (path.endsWith(".py")) {
        const tree = parser.parse(source);
        if (tree && !tree.rootNode.hasError) trees.set(path, tree);
      }
  const model = new RepositoryModel(trees, keys);
  const reads: ConfigKeyRead[] = [];
  const written = new Set<string>();
  const pass = (collect: boolean) => {
    let changed = false;
    const callSites = new Map<FunctionInfo, (Origin | undefined)[]>();
    // Returns and attributes are found afresh each pass, from the previous pass's parameters.
    const returns = new Map<FunctionInfo, Origin | undefined>();
    const attributes = new Map<string, Origin | undefined>();
    const walkOne = (scope: Scope, body: Node, fn?: FunctionInfo) => {
      const events: Events = {
        call: (callee, args, keywords) => {
          for (const { fn: target, offset } of model.callees(callee)) {
            const slots = callSites.get(target) ?? target.params.map(() => undefined);
            args.forEach((origin, i) => {
              if (i + offset < slots.length) slots[i + offset] = merge(slots[i + offset], origin);
            });
            for (const [name, origin] of keywords) {
              const at = target.params.indexOf(name);
              if (at >= 0) slots[at] = merge(slots[at], origin);
            }
            // A parameter a call site leaves out takes its default: not config.
            target.params.forEach((p, i) => {
              if (i >= offset + args.length && !keywords.has(p) && p) slots[i] = merge(slots[i], OTHER);
            });
            callSites.set(target, slots);
          }
        },
        returned: (origin) => {
          if (fn) returns.set(fn, merge(returns.get(fn), origin));
        },
        attribute: (className, attr, origin) =>
          attributes.set(`${className}.${attr}`, merge(attributes.get(`${className}.${attr}`), origin)),
        read: (read, guarded) => {
          if (collect && !guarded) reads.push(read);
        },
        write: (path) => written.add(path.join(".")),
      };
      new Walker(model, events).run(scope, body);
    };
    for (const [file, tree] of trees) {
      const env = new Map<string, Origin>();
      walkOne({ file, env, guards: new Set(), guardAll: false }, tree.rootNode);
      const globals = model.globals.get(file) ?? new Map<string, Origin>();
      for (const [name, origin] of env) {
        const before = globals.get(name);
        if (!before || !sameOrigin(before, origin)) changed = true;
        globals.set(name, origin);
      }
      model.globals.set(file, globals);
    }
    for (const fn of model.functions) {
      const env = new Map<string, Origin>();
      const known = model.params.get(fn);
      fn.params.forEach((p, i) => p && env.set(p, known?.[i] ?? UNKNOWN));
      const parentScope: Scope | undefined = fn.parent ? { file: fn.file, env: new Map(), guards: new Set(), guardAll: false } : undefined;
      const body = fn.node.childForFieldName("body");
      if (body)
        walkOne({ file: fn.file, fn, className: fn.className, env, parent: parentScope, guards: new Set(), guardAll: false }, body, fn);
    }
    const replace = <K>(target: Map<K, Origin | undefined>, fresh: Map<K, Origin | undefined>) => {
      const same =
        target.size === fresh.size &&
        [...fresh].every(([k, v]) => {
          const before = target.get(k);
          return before && v && sameOrigin(before, v);
        });
      if (!same) {
        target.clear();
        for (const [k, v] of fresh) target.set(k, v);
        changed = true;
      }
    };
    replace(model.returns, returns);
    replace(model.attributes, attributes);
    // A function the repository never calls: a parameter named like one that, elsewhere in the
    // same file, always receives the same part of the config is taken to receive it too.
    const byName = new Map<string, Origin | undefined>();
    for (const fn of model.functions) {
      const slots = callSites.get(fn);
      fn.params.forEach((p, i) => {
        const origin = slots?.[i];
        if (p && origin) byName.set(`${fn.file}\0${p}`, merge(byName.get(`${fn.file}\0${p}`), origin));
      });
    }
    for (const fn of model.functions) {
      const slots =
        callSites.get(fn) ??
        fn.params.map((p) => {
          const named = byName.get(`${fn.file}\0${p}`);
          return named?.kind === "config" ? named : undefined;
        });
      const before = model.params.get(fn);
      const after = fn.params.map((_, i) => slots?.[i]);
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        model.params.set(fn, after);
        changed = true;
      }
    }
    return changed;
  };
  for (let i = 0; i < 8 && pass(false); i++);
  pass(true);
  for (const tree of trees.values()) tree.delete();
  return { reads, written };
}
