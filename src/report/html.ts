import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createTwoFilesPatch } from "diff";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import diff from "highlight.js/lib/languages/diff";
import ini from "highlight.js/lib/languages/ini";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import yaml from "highlight.js/lib/languages/yaml";
import { Marked } from "marked";

/** Text made safe for HTML. */
export const esc = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const LANGUAGE_OF: Record<string, string> = {
  py: "python",
  sh: "bash",
  yaml: "yaml",
  yml: "yaml",
  json: "json",
  md: "markdown",
  txt: "plaintext",
  toml: "ini",
  cfg: "ini",
};

// The languages a generated repository and its artifacts are written in: loading all of highlight.js takes longer than the report.
for (const [name, language] of Object.entries({ bash, diff, ini, json, markdown, python, yaml })) hljs.registerLanguage(name, language);

const languageOf = (path: string) => LANGUAGE_OF[path.split(".").at(-1)!.toLowerCase()] ?? "plaintext";

/** Code highlighted ahead of time (no script needed to read it). */
export function codeHtml(text: string, languageOrPath: string): string {
  const language = hljs.getLanguage(languageOrPath) ? languageOrPath : languageOf(languageOrPath);
  const html = language === "plaintext" ? esc(text) : hljs.highlight(text, { language, ignoreIllegals: true }).value;
  return `<pre class="code"><code class="hljs language-${language}">${html}</code></pre>`;
}

/** A Mermaid diagram, drawn in the page by the inlined Mermaid; named by its kind (classDiagram, sequenceDiagram...) unless given a name. */
export const mermaidHtml = (source: string, name = source.trim().split(/\s/)[0] ?? "diagram") =>
  `<pre class="mermaid" data-diagram="${esc(name)}">${esc(source)}</pre>`;

const marked = new Marked({
  renderer: {
    code({ text, lang }) {
      return lang === "mermaid" ? mermaidHtml(text) : codeHtml(text, lang || "plaintext");
    },
    // Raw HTML in an artifact is shown as text: the model wrote it, the page must not run it.
    html({ text }) {
      return esc(text);
    },
  },
});

/** An artifact's Markdown as HTML; its Mermaid blocks become diagrams, its code is highlighted. */
export const markdownHtml = (text: string) => marked.parse(text, { async: false });

/** A unified diff of two texts, lines coloured by what happened to them. */
export function diffHtml(before: string, after: string, name: string): string {
  const patch = createTwoFilesPatch(`${name} (before)`, `${name} (after)`, before, after, "", "", { context: 3 });
  return unifiedDiffHtml(patch.split("\n").slice(2).join("\n"));
}

export function unifiedDiffHtml(patch: string): string {
  if (!patch.trim()) return `<p class="muted">no change</p>`;
  const lines = patch.split("\n").map((line) => {
    const kind = line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "ctx";
    return `<span class="${kind}">${esc(line)}</span>`;
  });
  return `<pre class="diff">${lines.join("\n")}</pre>`;
}

export interface Table {
  head: string[];
  rows: (string | number)[][];
  /** Cells already HTML (else escaped). */
  html?: boolean;
  className?: string;
}

export function tableHtml({ head, rows, html, className }: Table): string {
  const cell = (v: string | number) => (html ? String(v) : esc(String(v)));
  return `<table${className ? ` class="${className}"` : ""}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const require = createRequire(import.meta.url);
const asset = (specifier: string) => readFileSync(require.resolve(specifier), "utf8");
// A closing script tag inside the inlined bundle would end the script early.
const inlineScript = (code: string) => code.replace(/<\/script/gi, "<\\/script");

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:16px 24px;background:#f6f8fa;border-bottom:1px solid #d0d7de}
header h1{margin:0 0 4px;font-size:22px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #d0d7de;padding:6px 24px;z-index:2}
nav a{margin-right:14px;color:#0969da;text-decoration:none}
main{padding:8px 24px 48px;max-width:1400px}
section{margin-top:28px}
h2{border-bottom:1px solid #d0d7de;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.num,th.num{text-align:right}
pre.code,pre.diff{background:#f6f8fa;padding:8px;overflow:auto;font-size:12.5px;line-height:1.4;border-radius:6px}
pre.diff .add{color:#116329;background:#dafbe1}
pre.diff .del{color:#82071e;background:#ffebe9}
pre.diff .hunk{color:#8250df}
.muted{color:#656d76}
.ok{color:#1a7f37;font-weight:600}
.bad{color:#cf222e;font-weight:600}
.warn{color:#9a6700;font-weight:600}
details{margin:6px 0;border:1px solid #d0d7de;border-radius:6px;padding:4px 10px}
details>summary{cursor:pointer;font-weight:600}
.files{display:grid;grid-template-columns:280px 1fr;gap:16px}
.tree{font-family:ui-monospace,monospace;font-size:13px;white-space:pre;position:sticky;top:40px;align-self:start;max-height:90vh;overflow:auto}
.tree a{color:#0969da;text-decoration:none}
.timeline{position:relative;font-size:12px}
.timeline .row{position:relative;height:18px;border-bottom:1px dotted #eaeef2}
.timeline .label{position:absolute;left:0;width:300px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.timeline .lane{position:absolute;left:310px;right:0;top:2px;bottom:2px}
.timeline .bar{position:absolute;top:0;bottom:0;border-radius:3px;min-width:2px}
.bar.planning{background:#54aeff}.bar.analysis{background:#d4a72c}.bar.coding{background:#4ac26b}.bar.execution{background:#e16f24}.bar.other{background:#8c959f}
pre.mermaid{background:none}
`;

/** One self-contained page: styles and scripts inlined, nothing fetched when it is opened. */
export function page(title: string, body: string, options: { mermaid?: boolean } = {}): string {
  const highlightTheme = asset("highlight.js/styles/github.css");
  const mermaid = options.mermaid
    ? `<script>${inlineScript(asset("mermaid/dist/mermaid.min.js"))}</script>
<script>mermaid.initialize({startOnLoad:false,securityLevel:"strict",theme:"default"});
mermaid.run({querySelector:"pre.mermaid"}).then(()=>{document.body.dataset.diagrams="rendered"},e=>{document.body.dataset.diagrams="failed";console.error(e)});</script>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>${highlightTheme}${STYLE}</style></head>
<body>${body}${mermaid}</body></html>
`;
}
