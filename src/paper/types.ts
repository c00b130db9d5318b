/** The structured paper every loader produces and every agent reads (as Markdown). */
export interface PaperSection {
  level: number;
  heading: string;
  text: string;
}

export type PaperKind = "markdown" | "text" | "papercoder-json" | "latex" | "pdf";

/** Which part of the paper a section belongs to: what the agents get, and in what order. */
export type PaperPart = "main" | "appendix";

export interface Paper {
  title: string;
  abstract: string;
  sections: PaperSection[];
  captions: string[];
  references: string[];
  appendix: PaperSection[];
  /** Forms that are not the paper's content (a NeurIPS checklist and the like): kept, never sent to the agents. */
  boilerplate: PaperSection[];
  tokens: {
    /** Main text (title, abstract, sections) and appendix together. */
    total: number;
    main: number;
    appendix: number;
    perSection: { heading: string; tokens: number; part: PaperPart }[];
  };
  warnings: string[];
  source: { kind: PaperKind; path: string };
}

/** What a loader returns before token counts are added and boilerplate is set apart. */
export type PaperDraft = Omit<Paper, "tokens" | "boilerplate">;
