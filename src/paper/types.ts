/** The structured paper every loader produces and every agent reads (as Markdown). */
export interface PaperSection {
  level: number;
  heading: string;
  text: string;
}

export type PaperKind = "markdown" | "text" | "papercoder-json" | "latex" | "pdf";

export interface Paper {
  title: string;
  abstract: string;
  sections: PaperSection[];
  captions: string[];
  references: string[];
  appendix: PaperSection[];
  tokens: { total: number; perSection: { heading: string; tokens: number }[] };
  warnings: string[];
  source: { kind: PaperKind; path: string };
}

/** What a loader returns before token counts are added. */
export type PaperDraft = Omit<Paper, "tokens">;
