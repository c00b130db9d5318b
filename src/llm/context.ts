import { type PaperRecord } from "../state.js";
import { paperMarkdownOf } from "../workspace/design.js";

/**
 * What the calls of a run share, in one fixed order: the paper, then the plan,
 * config.yaml, the architecture and the logic design (each source's `rank`),
 * each as far as a call needs it. Every call starts with the same text up to
 * where its needs end, so a provider's prefix cache reuses it: the architect
 * and the config writer share the paper and the plan, every analyst and coder
 * the paper, plan and config.yaml (and analysts the architecture too). A
 * call's own material and its task come after.
 */
export interface ContextSource {
  /** The part's tag in the system message, e.g. plan. */
  part: string;
  title: string;
  rank: number;
  /** The part's text, or undefined when the state does not have it yet. */
  render(state: never): string | undefined;
}

export interface SharedContext {
  paper: string;
  /** Rendered design artifacts, in rank order. */
  parts: { part: string; title: string; text: string }[];
}

/** The sources in the order calls read them (rank), whatever order they are given in. */
export const inContextOrder = <T extends { rank: number }>(sources: readonly T[]): T[] => [...sources].sort((a, b) => a.rank - b.rank);

/** The shared context of a call that reads `sources` (always in rank order, whatever order they are given in). */
export async function contextOf(
  state: { outDir?: string; paper?: PaperRecord },
  sources: readonly ContextSource[] = [],
): Promise<SharedContext> {
  const paper = await paperMarkdownOf(state);
  return {
    paper,
    parts: inContextOrder(sources).map(({ part, title, render }) => {
      const text = render(state as never);
      if (text === undefined) throw new Error(`the ${part} is not there yet for this call`);
      return { part, title, text };
    }),
  };
}

/** The system message's pieces: the team's rules with the paper, then each part. Joined, they are the message; apart, cache breakpoints. */
export function systemBlocks(system: string, context: SharedContext | string): string[] {
  const paper = typeof context === "string" ? context : context.paper;
  const blocks = [`${system}\n\n<paper>\n${paper}\n</paper>`];
  if (typeof context !== "string")
    for (const { part, title, text } of context.parts) blocks.push(`\n\n<${part}>\n# ${title}\n\n${text}\n</${part}>`);
  return blocks;
}
