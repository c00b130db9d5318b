import { posix } from "node:path";
import { structurePaper } from "./structure.js";
import type { PaperDraft, PaperSection } from "./types.js";

/**
 * LaTeX sources: the main file found, \input/\include/\subfile/\import
 * resolved (cycle-safe, a missing file is a warning), comments dropped,
 * simple macros expanded, math kept as TeX, sections, title and abstract.
 */

/** Source files by their path relative to the tree's root ("/"-separated). */
export type TexFiles = Map<string, string>;

const MAIN_NAMES = ["main.tex", "ms.tex", "paper.tex", "article.tex"];

export function findMainFile(files: TexFiles): string | undefined {
  const candidates = [...files.keys()].filter((p) => p.endsWith(".tex") && /\\begin\s*\{document\}/.test(stripComments(files.get(p)!)));
  if (candidates.length === 0) return undefined;
  const byName = candidates.find((p) => MAIN_NAMES.includes(posix.basename(p).toLowerCase()));
  if (byName) return byName;
  return candidates.sort((a, b) => files.get(b)!.length - files.get(a)!.length)[0];
}

/** Remove `%` comments (not `\%`) and comment environments. */
export function stripComments(tex: string): string {
  const lines = tex.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const m = /(^|[^\\])(\\\\)*%/.exec(line);
    if (!m) out.push(line);
    else {
      const cut = line.slice(0, m.index + m[0].length - 1);
      if (cut.trim()) out.push(cut);
    }
  }
  return out.join("\n").replace(/\\begin\{comment\}[\s\S]*?\\end\{comment\}/g, "");
}

/** The text inside the balanced braces that open at `open` (which must be "{"); returns the end index too. */
export function balanced(text: string, open: number): { inner: string; end: number } | undefined {
  if (text[open] !== "{") return undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return { inner: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return undefined;
}

const INPUT = /\\(input|include|subfile|import|subimport|includefrom|inputfrom)\s*(\{[^}]*\})?\s*\{([^}]+)\}/g;

/** Inline every included file, depth-first, refusing cycles. */
export function flatten(files: TexFiles, main: string, warnings: string[]): string {
  const resolveName = (name: string, dir: string): string | undefined => {
    const clean = name.trim().replace(/^\.\//, "");
    for (const base of [dir, posix.dirname(main), ""]) {
      for (const candidate of [clean, `${clean}.tex`]) {
        const path = posix.normalize(posix.join(base, candidate));
        if (files.has(path)) return path;
      }
    }
    return undefined;
  };
  const visit = (path: string, stack: string[]): string => {
    const source = stripComments(files.get(path)!);
    const dir = posix.dirname(path);
    return source.replace(INPUT, (_all, command: string, importDir: string | undefined, name: string) => {
      const base = importDir ? posix.join(dir, importDir.slice(1, -1)) : dir;
      const target = resolveName(name, base);
      if (!target) {
        warnings.push(`LaTeX: \\${command}{${name}} not found in the source; its text is missing`);
        return "";
      }
      if (stack.includes(target)) {
        warnings.push(`LaTeX: \\${command}{${name}} would include ${target} inside itself; skipped`);
        return "";
      }
      const inner = visit(target, [...stack, target]);
      // A subfile is a whole document: keep only its body.
      const body = /\\begin\{document\}([\s\S]*)\\end\{document\}/.exec(inner);
      return body ? body[1]! : inner;
    });
  };
  return visit(main, [main]);
}

interface Macro {
  args: number;
  body: string;
}

/** \newcommand / \renewcommand / \def macros with up to three arguments (no optional defaults). */
export function collectMacros(tex: string): Map<string, Macro> {
  const macros = new Map<string, Macro>();
  const define = /\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?\s*(?:\[(\d)\])?\s*(?=\{)|\\def\s*\\([A-Za-z]+)\s*((?:#\d)*)\s*(?=\{)/g;
  let m: RegExpExecArray | null;
  while ((m = define.exec(tex))) {
    const name = m[1] ?? m[3]!;
    const args = m[2] ? Number(m[2]) : m[4] ? m[4].length / 2 : 0;
    const body = balanced(tex, define.lastIndex);
    if (!body || args > 3) continue;
    macros.set(name, { args, body: body.inner });
  }
  return macros;
}

export function expandMacros(tex: string, macros: Map<string, Macro>): string {
  if (macros.size === 0) return tex;
  const names = [...macros.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`\\\\(${names.join("|")})(?![A-Za-z])`, "g");
  let text = tex;
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    let out = "";
    let last = 0;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text))) {
      const macro = macros.get(m[1]!)!;
      let end = pattern.lastIndex;
      const args: string[] = [];
      for (let i = 0; i < macro.args; i++) {
        while (text[end] === " ") end++;
        const arg = balanced(text, end);
        if (arg) {
          args.push(arg.inner);
          end = arg.end;
        } else if (end < text.length) {
          args.push(text[end]!);
          end++;
        }
      }
      if (args.length < macro.args) continue;
      out += text.slice(last, m.index) + macro.body.replace(/#(\d)/g, (_, n: string) => args[Number(n) - 1] ?? "");
      last = end;
      pattern.lastIndex = end;
      changed = true;
    }
    text = out + text.slice(last);
    if (!changed) break;
  }
  return text;
}

const DEFINITIONS = /\\(?:re)?newcommand\*?\s*\{?\\[A-Za-z]+\}?\s*(?:\[\d\])?\s*(?:\[[^\]]*\])?\s*\{|\\def\s*\\[A-Za-z]+\s*(?:#\d)*\s*\{/g;

/** Remove macro definitions (now expanded) so they do not show in the text. */
function dropDefinitions(tex: string): string {
  let out = "";
  let last = 0;
  DEFINITIONS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DEFINITIONS.exec(tex))) {
    const body = balanced(tex, DEFINITIONS.lastIndex - 1);
    if (!body) continue;
    out += tex.slice(last, m.index);
    last = body.end;
    DEFINITIONS.lastIndex = body.end;
  }
  return out + tex.slice(last);
}

/** Replace `\command{arg}` by what `render` makes of its argument, for every occurrence. */
function replaceCommand(tex: string, command: string, render: (arg: string) => string): string {
  const pattern = new RegExp(`\\\\${command}\\*?\\s*(\\[[^\\]]*\\])?\\s*(?=\\{)`, "g");
  let out = "";
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(tex))) {
    const arg = balanced(tex, pattern.lastIndex);
    if (!arg) continue;
    out += tex.slice(last, m.index) + render(arg.inner);
    last = arg.end;
    pattern.lastIndex = arg.end;
  }
  return out + tex.slice(last);
}

/** Light clean-up of prose: formatting commands unwrapped, layout commands dropped, math left as TeX. */
export function texToText(tex: string): string {
  let t = tex;
  for (const cmd of ["label", "vspace", "hspace", "includegraphics", "thanks", "footnotemark", "bibliographystyle", "addcontentsline"]) {
    t = replaceCommand(t, cmd, () => "");
  }
  for (const cmd of ["textbf", "textit", "emph", "texttt", "textsc", "underline", "textrm", "mbox", "textsf", "textnormal"]) {
    t = replaceCommand(t, cmd, (arg) => arg);
  }
  t = t.replace(/\\LaTeX\b\s*(\{\})?/g, "LaTeX").replace(/\\TeX\b\s*(\{\})?/g, "TeX");
  t = t.replace(/\{\\(em|bf|it|sc|tt|rm|sf|sl)\s+([^{}]*)\}/g, "$2");
  t = replaceCommand(t, "footnote", (arg) => ` (footnote: ${arg.trim()})`);
  t = replaceCommand(t, "url", (arg) => arg);
  t = t.replace(/\\texorpdfstring\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g, " $2 ");
  t = replaceCommand(t, "href", (arg) => arg);
  t = t
    .replace(
      /\\(noindent|centering|small|footnotesize|scriptsize|normalsize|large|Large|LARGE|huge|medskip|smallskip|bigskip|newpage|clearpage|maketitle|tableofcontents|raggedright|par|hline|toprule|midrule|bottomrule)\b\s*/g,
      "",
    )
    .replace(/\\(begin|end)\{(center|figure\*?|table\*?|minipage|flushleft|flushright|wrapfigure|small)\}(\[[^\]]*\]|\{[^}]*\})*/g, "")
    .replace(/~/g, " ")
    .replace(/\\&/g, "&")
    .replace(/\\%/g, "%")
    .replace(/\\_/g, "_")
    .replace(/``|''/g, '"')
    .replace(/[ \t]+/g, " ")
    .replace(/\n[ \t]+/g, "\n")
    .replace(/\n{3,}/g, "\n\n");
  return t.trim();
}

const SECTION =
  /\\(part|chapter|section|subsection|subsubsection|paragraph)(\*?)\s*(\[[^\]]*\])?\s*(?=\{)|\\appendix\b|\\begin\{thebibliography\}|\\bibliography\s*\{[^}]*\}|\\printbibliography\b/g;
const LEVEL: Record<string, number> = { part: 1, chapter: 1, section: 1, subsection: 2, subsubsection: 3, paragraph: 4 };

function cleanHeading(tex: string): string {
  return texToText(tex).replace(/\\\\/g, " ").replace(/\s+/g, " ").trim();
}

function bibEntries(tex: string): string[] {
  return tex
    .split(/\\bibitem(?:\[[^\]]*\])?\s*\{[^}]*\}/)
    .slice(1)
    .map((e) =>
      texToText(e.replace(/\\end\{thebibliography\}[\s\S]*/, ""))
        .replace(/\\newblock\s*/g, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter(Boolean);
}

/**
 * The label LaTeX gives each \caption in document order ("Table 3", "Figure 2"),
 * counted per float kind as LaTeX numbers them, so a value cited as "Table 3" can
 * be found; a caption outside a float gets none. Numbering restarts in no
 * appendix: an appendix's "Table 7" follows the main text's tables, as LaTeX counts by default.
 */
export function captionLabels(body: string): (string | undefined)[] {
  const token = /\\(begin|end)\{(table|figure|algorithm)\*?\}|\\caption\*?\s*(?:\[[^\]]*\])?\s*(?=\{)/g;
  const stack: string[] = [];
  const counts: Record<string, number> = {};
  const labels: (string | undefined)[] = [];
  let m: RegExpExecArray | null;
  while ((m = token.exec(body))) {
    if (m[1] === "begin") stack.push(m[2]!);
    else if (m[1] === "end") stack.pop();
    else {
      const kind = stack.at(-1);
      if (!kind) labels.push(undefined);
      else {
        counts[kind] = (counts[kind] ?? 0) + 1;
        labels.push(`${kind[0]!.toUpperCase()}${kind.slice(1)} ${counts[kind]}`);
      }
    }
  }
  return labels;
}

/** Parse a LaTeX tree (one file or many) into a paper. */
export function parseLatex(files: TexFiles, label: string, mainFile?: string): PaperDraft {
  const warnings: string[] = [];
  const main = mainFile ?? findMainFile(files) ?? [...files.keys()].find((p) => p.endsWith(".tex"));
  if (!main) throw new Error("no .tex file");
  const flat = flatten(files, main, warnings);
  const macros = collectMacros(flat);
  const docMatch = /\\begin\{document\}([\s\S]*?)(\\end\{document\}|$)/.exec(flat);
  if (!docMatch) warnings.push(`LaTeX: ${main} has no \\begin{document}; read as a fragment`);
  let body = expandMacros(dropDefinitions(docMatch ? docMatch[1]! : flat), macros);
  const preambleTex = docMatch ? flat.slice(0, docMatch.index) : "";

  let title = "";
  // \title, or a conference class's own (\icmltitle, \twocolumn[\icmltitle{...}], \mytitle ...); not \icmltitlerunning.
  const titleAt = /\\(?:[a-z]*title)\s*(\[[^\]]*\])?\s*(?=\{)/.exec(preambleTex + body);
  if (titleAt) {
    const source = preambleTex + body;
    const arg = balanced(source, titleAt.index + titleAt[0].length);
    if (arg) title = cleanHeading(expandMacros(arg.inner, macros));
  }
  if (!title) warnings.push("LaTeX: no \\title found");

  let abstract = "";
  body = body.replace(/\\begin\{abstract\}([\s\S]*?)\\end\{abstract\}/, (_all, inner: string) => {
    abstract = texToText(inner);
    return "";
  });

  const captions: string[] = [];
  const labels = captionLabels(body);
  let captionIndex = 0;
  body = replaceCommand(body, "caption", (arg) => {
    const label = labels[captionIndex++];
    const caption = `${label ? `${label}: ` : ""}${texToText(arg).replace(/\s+/g, " ")}`;
    captions.push(caption);
    return `\nCaption: ${caption}\n`;
  });

  const sections: PaperSection[] = [];
  const references: string[] = [];
  let appendixFrom: number | undefined;
  let preamble = "";
  let current: { level: number; heading: string; start: number } | undefined;
  const close = (end: number) => {
    const text = texToText(body.slice(current ? current.start : 0, end));
    if (current) sections.push({ level: current.level, heading: current.heading, text });
    else preamble = text;
  };
  SECTION.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SECTION.exec(body))) {
    const token = m[0];
    if (token.startsWith("\\appendix")) {
      close(m.index);
      current = undefined;
      appendixFrom = sections.length;
      continue;
    }
    if (token.startsWith("\\begin{thebibliography}")) {
      close(m.index);
      const end = body.indexOf("\\end{thebibliography}", m.index);
      references.push(...bibEntries(body.slice(m.index, end < 0 ? undefined : end)));
      current = undefined;
      appendixFrom ??= sections.length;
      SECTION.lastIndex = end < 0 ? body.length : end;
      continue;
    }
    if (token.startsWith("\\bibliography") || token.startsWith("\\printbibliography")) {
      close(m.index);
      current = undefined;
      references.push(...referencesFromFiles(files, warnings));
      appendixFrom ??= sections.length;
      continue;
    }
    const arg = balanced(body, SECTION.lastIndex);
    if (!arg) continue;
    close(m.index);
    current = { level: LEVEL[m[1]!] ?? 1, heading: cleanHeading(arg.inner), start: arg.end };
    SECTION.lastIndex = arg.end;
  }
  close(body.length);
  if (appendixFrom === undefined && current === undefined && sections.length === 0) {
    sections.push({ level: 1, heading: "Body", text: preamble });
    warnings.push("LaTeX: no sections found: the whole text is one section");
  }

  const draft = structurePaper({
    title,
    preamble,
    sections: sections.slice(0, appendixFrom),
    kind: "latex",
    path: label,
    warnings,
    abstract,
  });
  draft.appendix.push(...sections.slice(appendixFrom ?? sections.length));
  draft.references.push(...references);
  draft.captions = captions;
  return draft;
}

/** References from a .bbl (what BibTeX made) or, failing that, the titles in .bib files. */
function referencesFromFiles(files: TexFiles, warnings: string[]): string[] {
  const bbl = [...files.entries()].find(([p]) => p.endsWith(".bbl"));
  if (bbl) return bibEntries(bbl[1]);
  const bibs = [...files.entries()].filter(([p]) => p.endsWith(".bib"));
  if (bibs.length === 0) {
    warnings.push("LaTeX: \\bibliography is used but no .bbl or .bib file is in the source; references are missing");
    return [];
  }
  const entries: string[] = [];
  for (const [, bib] of bibs) {
    for (const entry of bib.split(/\n(?=@)/)) {
      const title = /title\s*=\s*[{"](.+?)[}"]\s*,?\s*\n/i.exec(entry)?.[1];
      if (title) entries.push(title.replace(/[{}]/g, ""));
    }
  }
  return entries;
}
