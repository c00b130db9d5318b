import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PdfItem, PdfOutlineEntry, PdfPage, RawPdf, WorkerReply } from "./types.js";

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  fontName: string;
}

const BOLD_FONT = /(bold|black|heavy|semibold|demi|medi(um)?\b|-medi|cmbx|\.b\b|-b$)/i;

/** Positioned text of every page with pdf.js. Runs inside the worker (see worker.ts). */
export async function extractPdf(bytes: Uint8Array, password?: string): Promise<WorkerReply> {
  let doc;
  try {
    doc = await getDocument({
      data: bytes,
      password,
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      stopAtErrors: false,
    }).promise;
  } catch (error) {
    const e = error as { name?: string; code?: number; message?: string };
    if (e.name === "PasswordException") {
      return { ok: false, failure: { kind: e.code === 2 ? "password-wrong" : "password-required" } };
    }
    return { ok: false, failure: { kind: "invalid", message: e.message ?? String(error) } };
  }
  const warnings: string[] = [];
  const outline: PdfOutlineEntry[] = [];
  try {
    const walk = (items: { title: string; items?: unknown[] }[] | null, level: number) => {
      for (const item of items ?? []) {
        outline.push({ title: item.title, level });
        walk(item.items as { title: string; items?: unknown[] }[], level + 1);
      }
    };
    walk(await doc.getOutline(), 1);
  } catch {
    warnings.push("the PDF outline could not be read");
  }
  let metaTitle: string | undefined;
  try {
    const meta = await doc.getMetadata();
    const title = (meta.info as { Title?: unknown } | undefined)?.Title;
    if (typeof title === "string") metaTitle = title;
  } catch {
    /* metadata is optional */
  }
  // Font names (for bold headings) need the fonts loaded, which costs time; an outline makes them unnecessary.
  const needFonts = outline.length === 0;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    try {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      if (needFonts) await page.getOperatorList();
      const fontNames = new Map<string, string>();
      const items: PdfItem[] = [];
      let rotatedDropped = 0;
      for (const raw of content.items as TextItemLike[]) {
        if (!("str" in raw) || !raw.str || !raw.str.trim()) continue;
        const [a, b, c, d, e, f] = raw.transform as [number, number, number, number, number, number];
        if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d) || a <= 0) {
          rotatedDropped++;
          continue;
        }
        let fontName = fontNames.get(raw.fontName);
        if (fontName === undefined) {
          fontName = "";
          if (needFonts) {
            try {
              fontName = String((page.commonObjs.get(raw.fontName) as { name?: string } | null)?.name ?? "");
            } catch {
              /* font not loaded */
            }
          }
          fontNames.set(raw.fontName, fontName);
        }
        items.push({ text: raw.str, x: e, y: f, width: raw.width, size: Math.abs(d), bold: BOLD_FONT.test(fontName) });
      }
      pages.push({ width: viewport.width, height: viewport.height, items, rotatedDropped });
      page.cleanup();
    } catch (error) {
      warnings.push(`page ${n} could not be read (${(error as Error).message}); its text is missing`);
      pages.push({ width: 612, height: 792, items: [], rotatedDropped: 0 });
    }
  }
  await doc.destroy();
  return { ok: true, pdf: { pages, outline, metaTitle, warnings } };
}
