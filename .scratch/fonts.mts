import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2]!)), verbosity: 0, disableFontFace: true, isEvalSupported: false }).promise;
const page = await doc.getPage(Number(process.argv[3]));
const content = await page.getTextContent();
await page.getOperatorList();
const seen = new Set();
for (const it of content.items as any[]) { if (!/[\u0000-\u001f]/.test(it.str ?? "")) continue; if (seen.has(it.fontName)) continue; seen.add(it.fontName); console.log(JSON.stringify(it.str), it.fontName, (page.commonObjs.get(it.fontName) as any)?.name); }
