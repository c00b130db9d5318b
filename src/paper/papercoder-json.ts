import { UserError, ExitCode } from "../errors.js";
import { structurePaper } from "./structure.js";
import type { PaperDraft, PaperSection } from "./types.js";

interface S2orcParagraph {
  text?: unknown;
  section?: unknown;
  sec_num?: unknown;
}

/**
 * PaperCoder's input format: s2orc-doc2json output (optionally "cleaned"),
 * i.e. {title, abstract, pdf_parse: {abstract[], body_text[], back_matter[], ref_entries, bib_entries}}.
 * Paragraphs that share a section name are joined into one section.
 */
export function parsePaperCoderJson(value: unknown, path: string): PaperDraft {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new UserError(`${path}: JSON is not a paper object (expected {title, pdf_parse: {body_text: [...]}})`, ExitCode.badInput);
  }
  const doc = value as Record<string, unknown>;
  const parse = (doc.pdf_parse ?? doc) as Record<string, unknown>;
  const body = parse.body_text;
  if (!Array.isArray(body)) {
    throw new UserError(`${path}: JSON has no pdf_parse.body_text list, so it is not a PaperCoder/s2orc paper`, ExitCode.badInput);
  }
  const title = typeof doc.title === "string" ? doc.title : "";
  const abstract = typeof doc.abstract === "string" ? doc.abstract : paragraphsText(Array.isArray(parse.abstract) ? parse.abstract : []);

  const sections: PaperSection[] = [];
  const push = (paragraphs: unknown[], fallback: string) => {
    for (const p of paragraphs as S2orcParagraph[]) {
      if (!p || typeof p.text !== "string") continue;
      const heading = typeof p.section === "string" && p.section.trim() ? p.section.trim() : fallback;
      const secNum = typeof p.sec_num === "string" ? p.sec_num : "";
      const level = secNum ? secNum.split(".").filter(Boolean).length : 1;
      const last = sections.at(-1);
      if (last && last.heading === heading) last.text += `\n\n${p.text}`;
      else sections.push({ level: Math.max(1, level), heading, text: p.text });
    }
  };
  push(body, "Body");
  if (Array.isArray(parse.back_matter)) push(parse.back_matter, "Back matter");

  const captions = Object.values((parse.ref_entries ?? {}) as Record<string, { text?: unknown; type_str?: unknown }>)
    .map((e) => (typeof e?.text === "string" ? e.text : ""))
    .filter(Boolean);
  const bib = Object.values((parse.bib_entries ?? {}) as Record<string, { raw_text?: unknown; title?: unknown }>)
    .map((b) => (typeof b?.raw_text === "string" ? b.raw_text : typeof b?.title === "string" ? b.title : ""))
    .filter(Boolean);

  const warnings = sections.length === 0 ? ["the JSON paper has no body text"] : [];
  const draft = structurePaper({ title, preamble: "", sections, kind: "papercoder-json", path, abstract, warnings });
  draft.captions.push(...captions.filter((c) => !draft.captions.includes(c)));
  draft.references.push(...bib);
  return draft;
}

function paragraphsText(paragraphs: unknown[]): string {
  return (paragraphs as S2orcParagraph[])
    .map((p) => (typeof p?.text === "string" ? p.text : ""))
    .filter(Boolean)
    .join("\n\n");
}
