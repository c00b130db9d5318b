/** What the PDF worker sends back: positioned text, the outline and the metadata title. */
export interface PdfItem {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
  bold: boolean;
}

export interface PdfPage {
  width: number;
  height: number;
  items: PdfItem[];
  /** Items drawn at an angle (arXiv side stamps, rotated labels), dropped. */
  rotatedDropped: number;
}

export interface PdfOutlineEntry {
  title: string;
  level: number;
}

export interface RawPdf {
  pages: PdfPage[];
  outline: PdfOutlineEntry[];
  metaTitle?: string;
  warnings: string[];
}

export type PdfFailure = { kind: "password-required" } | { kind: "password-wrong" } | { kind: "invalid"; message: string };

export type WorkerReply = { ok: true; pdf: RawPdf } | { ok: false; failure: PdfFailure };
