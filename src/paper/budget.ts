import { countTokens } from "../tokens.js";
import { renderPaperMarkdown, renderSection } from "./render.js";
import type { Paper, PaperSection } from "./types.js";

/** Main-text sections whose loss hurts an implementation least. */
const LOW_PRIORITY =
  /^(\d+(\.\d+)*\.?\s*)?(related work|background|acknowledge?ments?|broader impacts?|impact statement|limitations|ethics statement|societal impact|conclusions?.*|discussion.*|future work)$/i;
/** Appendix parts an implementation needs: settings, architectures, data, prompts, procedures. */
const APPENDIX_NEEDED =
  /hyper-?param|implementation|experiment(al)?\s+(details|setup|settings)|training\s+(details|setup|procedure)|setup|settings|configuration|architecture|model details|prompts?\b|templates?|datasets?|data\s+(details|collection|processing|preprocessing)|pre-?processing|algorithms?|pseudo-?code|evaluation\s+(details|protocol)|details/i;
/** Appendix parts an implementation can do without: proofs, more results, examples. */
const APPENDIX_EXTRA =
  /proofs?\b|derivations?|lemmas?|theorems?|theoretical|additional\s+(results|experiments|analys[ie]s)|more\s+results|further\s+results|extended\s+results|qualitative|examples?\b|visuali[sz]ations?|case stud|failure cases|broader impacts?|limitations|ethic|societal|related work|contents of the appendix|^(a\s+)?table of contents|outputs? for|acknowledg|contributions|authors?\b/i;

export interface FittedPaper {
  markdown: string;
  tokens: number;
  /** What was left out to fit, in the order it was dropped; empty when the paper fit. */
  dropped: string[];
  /** Tokens sent of each part (counted section by section, so the two add up to about `tokens`). */
  sent: { main: number; appendix: number; appendixSections: number };
  /** The appendix was left out on request (--no-appendix), not to fit. */
  appendixLeftOut: boolean;
}

/** How much an implementation needs an appendix part: 0 (proofs, more results), 1, 2 (settings, data, prompts). */
export function appendixRelevance(section: PaperSection, parent?: PaperSection): number {
  const numbers = (section.text.match(/\b\d+(\.\d+)?(e-?\d+)?\b/g) ?? []).length;
  const dense = numbers / Math.max(1, section.text.length / 1000) >= 8 ? 1 : 0;
  const own = APPENDIX_NEEDED.test(section.heading) ? 2 : APPENDIX_EXTRA.test(section.heading) ? 0 : undefined;
  const inherited = parent ? (APPENDIX_NEEDED.test(parent.heading) ? 2 : APPENDIX_EXTRA.test(parent.heading) ? 0 : 1) : 1;
  return Math.min(2, (own ?? inherited) + (own === 0 ? 0 : dense));
}

interface Part {
  kind: "section" | "appendix";
  index: number;
  section: PaperSection;
  tokens: number;
}

/**
 * The Markdown the agents read, reduced deterministically to `budget` tokens
 * only when the whole paper does not fit. References and boilerplate are never
 * sent. Dropped first: appendix parts an implementation can do without (proofs,
 * more results), then low-priority main sections from the end (related work,
 * conclusion...), then the other appendix parts, least needed and last first; then
 * the longest sections are halved, marked in the text. Each step is named.
 */
export function fitPaperToBudget(paper: Paper, budget: number, options: { includeAppendix?: boolean } = {}): FittedPaper {
  const includeAppendix = options.includeAppendix ?? true;
  const parentOf = (i: number) => {
    const level = paper.appendix[i]!.level;
    for (let k = i - 1; k >= 0; k--) if (paper.appendix[k]!.level < level) return paper.appendix[k];
    return undefined;
  };
  const parts: Part[] = [
    ...paper.sections.map((section, index) => ({ kind: "section" as const, index, section, tokens: countTokens(renderSection(section)) })),
    ...(includeAppendix ? paper.appendix : []).map((section, index) => ({
      kind: "appendix" as const,
      index,
      section,
      tokens: countTokens(renderSection(section)),
    })),
  ];
  const kept = new Set(parts);
  const dropped: string[] = [];
  const render = () => {
    const of = (kind: Part["kind"]) => parts.filter((p) => p.kind === kind && kept.has(p)).map((p) => p.section);
    return renderPaperMarkdown({ ...paper, sections: of("section"), appendix: of("appendix") }, { includeAppendix });
  };
  let markdown = render();
  let tokens = countTokens(markdown);
  const drop = (part: Part) => {
    kept.delete(part);
    dropped.push(part.kind === "appendix" ? `appendix section "${part.section.heading}"` : `section "${part.section.heading}"`);
    tokens -= part.tokens;
  };

  if (tokens > budget) {
    const appendix = parts.filter((p) => p.kind === "appendix");
    const relevance = new Map(appendix.map((p) => [p, appendixRelevance(p.section, parentOf(p.index))]));
    const fromTheEnd = (list: Part[]) => [...list].reverse();
    const order = [
      ...fromTheEnd(appendix.filter((p) => relevance.get(p) === 0)),
      ...fromTheEnd(parts.filter((p) => p.kind === "section" && LOW_PRIORITY.test(p.section.heading))),
      ...fromTheEnd(appendix.filter((p) => relevance.get(p) === 1)),
      ...fromTheEnd(appendix.filter((p) => relevance.get(p) === 2)),
    ];
    for (const part of order) {
      if (tokens <= budget) break;
      drop(part);
    }
    markdown = render();
    tokens = countTokens(markdown);
  }
  // Still too long: halve the longest kept section, repeatedly, marking each cut.
  for (let guard = 0; tokens > budget && guard < 200; guard++) {
    const longest = [...kept].reduce<Part | undefined>(
      (best, p) => (!best || p.section.text.length > best.section.text.length ? p : best),
      undefined,
    );
    if (!longest || longest.section.text.length < 200) break;
    const keep = Math.floor(longest.section.text.length / 2);
    const label = `the second half of "${longest.section.heading}"`;
    longest.section = {
      ...longest.section,
      text: `${longest.section.text.slice(0, keep)}\n\n[… paper2code shortened this section to fit the model's context budget]`,
    };
    longest.tokens = countTokens(renderSection(longest.section));
    if (!dropped.includes(label)) dropped.push(label);
    markdown = render();
    tokens = countTokens(markdown);
  }
  const keptOf = (kind: Part["kind"]) => parts.filter((p) => p.kind === kind && kept.has(p));
  const head = countTokens(paper.title) + countTokens(paper.abstract);
  return {
    markdown,
    tokens,
    dropped,
    sent: {
      main: head + keptOf("section").reduce((n, p) => n + p.tokens, 0),
      appendix: keptOf("appendix").reduce((n, p) => n + p.tokens, 0),
      appendixSections: keptOf("appendix").length,
    },
    appendixLeftOut: !includeAppendix && paper.appendix.length > 0,
  };
}

/** One line on what reached the agents and what did not, for ingest, the run's progress and run.json. */
export function describeFit(paper: Paper, fitted: FittedPaper, budget: number): string[] {
  const n = (v: number) => v.toLocaleString("en");
  const lines: string[] = [];
  if (fitted.dropped.length) {
    lines.push(
      `the paper (${n(paper.tokens.total)} tokens with its appendix) exceeds the budget of ${n(budget)} tokens; left out: ${fitted.dropped.join(", ")}`,
    );
  }
  if (fitted.appendixLeftOut)
    lines.push(`the appendix (${paper.appendix.length} sections, ${n(paper.tokens.appendix)} tokens) is left out (--no-appendix)`);
  return lines;
}
