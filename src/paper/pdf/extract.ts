import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { PdfItem, PdfOutlineEntry, PdfPage, WorkerReply } from "./types.js";

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  fontName: string;
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/** Codes below 0x20 of TeX's math fonts whose glyph names pdf.js cannot map (OML: cmmi; OMS: cmsy; cmex: big delimiters). */
const OML_LOW = "ΓΔΘΛΞΠΣΥΦΨΩαβγδϵζηθικλμνξπρστυϕχ";
const OMS_LOW = "−·×∗÷⋄±∓⊕⊖⊗⊘⊙◯∘•≍≡⊆⊇≤≥⪯⪰∼≈⊂⊃≪≫≺≻";
const CMEX_LOW = "()[]⌊⌋⌈⌉{}⟨⟩|‖/\\()()[]⌊⌋⌈⌉{}⟨⟩/\\";

export function decodeTexCodes(text: string, fontName: string): string {
  const table = /cmmi|lmmi|txmi|pxmi|mathit/i.test(fontName)
    ? OML_LOW
    : /cmsy|lmsy|txsy|pxsy|mathsy/i.test(fontName)
      ? OMS_LOW
      : /cmex|lmex|txex|pxex|mathex/i.test(fontName)
        ? CMEX_LOW
        : undefined;
  if (!table) return text;
  return text.replace(new RegExp(CONTROL.source, "g"), (c) => [...table][c.charCodeAt(0)] ?? c);
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
      // TeX's math fonts leave some glyphs as raw control codes (ϵ, big delimiters): their font tells what they are.
      const rawCodes = (content.items as TextItemLike[]).some((i) => "str" in i && CONTROL.test(i.str));
      const loadFonts = needFonts || rawCodes;
      if (loadFonts) await page.getOperatorList();
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
          if (loadFonts) {
            try {
              fontName = String((page.commonObjs.get(raw.fontName) as { name?: string } | null)?.name ?? "");
            } catch {
              /* font not loaded */
            }
          }
          fontNames.set(raw.fontName, fontName);
        }
        const text = CONTROL.test(raw.str) ? decodeTexCodes(raw.str, fontName) : raw.str;
        items.push({ text, x: e, y: f, width: raw.width, size: Math.abs(d), bold: BOLD_FONT.test(fontName) });
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
