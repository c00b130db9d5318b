import { countTokens } from "../tokens.js";
import { renderPaperMarkdown } from "./render.js";
import type { Paper, PaperSection } from "./types.js";

/** Sections whose loss hurts an implementation least, dropped first when a paper is too long. */
const LOW_PRIORITY = /^(\d+(\.\d+)*\.?\s*)?(related work|background|acknowledge?ments?|broader impacts?|limitations|ethics statement|societal impact|conclusions?.*|discussion|future work)$/i;

export interface FittedPaper {
  markdown: string;
  tokens: number;
  /** What was left out to fit, in the order it was dropped; empty when the paper fit. */
  dropped: string[];
}

/**
 * The Markdown the agents read, reduced deterministically to `budget` tokens:
 * the appendix first (when included), then low-priority sections from the end,
 * then the longest remaining sections are shortened, each step named.
 * References are never sent to the agents.
 */
export function fitPaperToBudget(paper: Paper, budget: number, options: { includeAppendix?: boolean } = {}): FittedPaper {
  let current: Paper = { ...paper, sections: [...paper.sections] };
  let includeAppendix = options.includeAppendix ?? false;
  const dropped: string[] = [];
  const render = () => renderPaperMarkdown(current, { includeAppendix });
  let markdown = render();
  let tokens = countTokens(markdown);
  if (tokens <= budget) return { markdown, tokens, dropped };

  if (includeAppendix && paper.appendix.length > 0) {
    includeAppendix = false;
    dropped.push(`the appendix (${paper.appendix.length} sections)`);
    markdown = render();
    tokens = countTokens(markdown);
  }
  for (let i = current.sections.length - 1; i >= 0 && tokens > budget; i--) {
    const section = current.sections[i]!;
    if (!LOW_PRIORITY.test(section.heading)) continue;
    current = { ...current, sections: current.sections.filter((_, k) => k !== i) };
    dropped.push(`section "${section.heading}"`);
    markdown = render();
    tokens = countTokens(markdown);
  }
  // Still too long: halve the longest section's text, repeatedly, marking each cut.
  let guard = 0;
  while (tokens > budget && guard++ < 200) {
    const longest = current.sections.reduce((best, s, i) => (s.text.length > current.sections[best]!.text.length ? i : best), 0);
    const section = current.sections[longest];
    if (!section || section.text.length < 200) break;
    const keep = Math.floor(section.text.length / 2);
    const cut: PaperSection = { ...section, text: `${section.text.slice(0, keep)}\n\n[… paper2code shortened this section to fit the model's context budget]` };
    current = { ...current, sections: current.sections.map((s, k) => (k === longest ? cut : s)) };
    if (!dropped.includes(`the second half of "${section.heading}"`)) dropped.push(`the second half of "${section.heading}"`);
    markdown = render();
    tokens = countTokens(markdown);
  }
  return { markdown, tokens, dropped };
}
