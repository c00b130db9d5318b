import { renderArchitecture, renderLogic, renderPlan } from "../render/artifacts.js";
import { paperMarkdownOf, type PaperToCodeState } from "../state.js";

/**
 * What the calls of a run share, in one fixed order: the paper, then the plan,
 * config.yaml, the architecture and the logic design, each as far as a call
 * needs it. Every call starts with the same text up to where its needs end, so
 * a provider's prefix cache reuses it: the architect and the config writer
 * share the paper and the plan, every analyst and coder the paper, plan and
 * config.yaml (and analysts the architecture too). A call's own material and
 * its task come after.
 */
export const CONTEXT_PARTS = ["plan", "config", "architecture", "logic"] as const;
export type ContextPart = (typeof CONTEXT_PARTS)[number];

export interface SharedContext {
  paper: string;
  /** Rendered design artifacts, in CONTEXT_PARTS order. */
  parts: { part: ContextPart; text: string }[];
}

const TITLE: Record<ContextPart, string> = {
  plan: "The team's reproduction plan",
  config: "config.yaml, written by the config writer: the settings every file reads, with the key paths to use",
  architecture: "The architecture: files, class diagram and sequence diagram",
  logic: "The logic design of every file",
};

type DesignState = Partial<Pick<PaperToCodeState, "outDir" | "paper" | "plan" | "config" | "architecture" | "logic">>;

function render(part: ContextPart, state: DesignState): string {
  switch (part) {
    case "plan":
      return renderPlan(state.plan!);
    case "config":
      return `\`\`\`yaml\n${state.config!.yaml.trimEnd()}\n\`\`\``;
    case "architecture":
      return renderArchitecture(state.architecture!);
    case "logic":
      return renderLogic(state.logic!);
  }
}

/** The shared context of a call that needs `parts` (always in the fixed order, whatever order they are asked in). */
export async function contextOf(state: DesignState, parts: readonly ContextPart[] = []): Promise<SharedContext> {
  const paper = await paperMarkdownOf(state);
  return {
    paper,
    parts: CONTEXT_PARTS.filter((p) => parts.includes(p)).map((part) => {
      if (!state[part]) throw new Error(`the ${part} is not there yet for this call`);
      return { part, text: render(part, state) };
    }),
  };
}

/** The system message's pieces: the team's rules with the paper, then each part. Joined, they are the message; apart, cache breakpoints. */
export function systemBlocks(system: string, context: SharedContext | string): string[] {
  const paper = typeof context === "string" ? context : context.paper;
  const blocks = [`${system}\n\n<paper>\n${paper}\n</paper>`];
  if (typeof context !== "string") for (const { part, text } of context.parts) blocks.push(`\n\n<${part}>\n# ${TITLE[part]}\n\n${text}\n</${part}>`);
  return blocks;
}
