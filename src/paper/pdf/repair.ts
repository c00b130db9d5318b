import { inflateSync } from "node:zlib";

/**
 * Best-effort recovery of a truncated PDF: the catalog, page tree and trailer
 * usually sit at the end of the file, so a cut file has pages but no way to
 * reach them. Find the page objects (also inside compressed object streams),
 * then append a catalog, a page tree listing them, and a trailer; pdf.js
 * rebuilds the cross-reference table itself. Returns undefined when no page is found.
 */
export function repairTruncatedPdf(input: Uint8Array): { bytes: Uint8Array; pages: number } | undefined {
  // Drop the partial object the cut left behind, so nothing runs into what is appended.
  const whole = Buffer.from(input).toString("latin1");
  const lastEnd = whole.lastIndexOf("endobj");
  if (lastEnd < 0) return undefined;
  const bytes = input.subarray(0, lastEnd + "endobj".length);
  const text = whole.slice(0, lastEnd + "endobj".length);
  const pages = new Map<number, number | undefined>(); // page object -> its /Parent object
  let maxObject = 0;

  const objectHeader = /(\d+)\s+\d+\s+obj\b/g;
  let m: RegExpExecArray | null;
  const headers: { num: number; at: number }[] = [];
  while ((m = objectHeader.exec(text))) {
    const num = Number(m[1]);
    headers.push({ num, at: m.index });
    maxObject = Math.max(maxObject, num);
  }
  const inspect = (num: number, body: string) => {
    if (/\/Type\s*\/Page(?![a-zA-Z])/.test(body) && /\/(Contents|Resources|MediaBox)/.test(body)) {
      const parent = /\/Parent\s+(\d+)\s+\d+\s+R/.exec(body);
      pages.set(num, parent ? Number(parent[1]) : undefined);
    }
  };
  for (const [i, header] of headers.entries()) {
    const end = headers[i + 1]?.at ?? text.length;
    const body = text.slice(header.at, Math.min(end, header.at + 20_000));
    const dictEnd = body.indexOf("stream");
    inspect(header.num, dictEnd >= 0 ? body.slice(0, dictEnd) : body);
    if (/\/Type\s*\/ObjStm/.test(body)) {
      for (const [num, object] of objectStream(bytes, text, header.at, end)) {
        maxObject = Math.max(maxObject, num);
        inspect(num, object);
      }
    }
  }
  if (pages.size === 0) return undefined;

  const parentCounts = new Map<number, number>();
  for (const parent of pages.values()) if (parent !== undefined) parentCounts.set(parent, (parentCounts.get(parent) ?? 0) + 1);
  // Reuse the number the pages name as /Parent (so inherited attributes resolve), unless that object survived the cut.
  const parent = [...parentCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const root = parent !== undefined && !headers.some((h) => h.num === parent) ? parent : maxObject + 1;
  const catalog = Math.max(maxObject, root) + 1;
  const kids = [...pages.keys()].sort((a, b) => a - b);
  const tail =
    `\n${root} 0 obj\n<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} /MediaBox [0 0 612 792] >>\nendobj\n` +
    `${catalog} 0 obj\n<< /Type /Catalog /Pages ${root} 0 R >>\nendobj\n` +
    `trailer\n<< /Root ${catalog} 0 R /Size ${catalog + 1} >>\n%%EOF\n`;
  return { bytes: Buffer.concat([Buffer.from(bytes), Buffer.from(tail, "latin1")]), pages: kids.length };
}

/** The objects of a FlateDecode object stream, when its data is complete. */
function objectStream(bytes: Uint8Array, text: string, start: number, end: number): [number, string][] {
  const dict = text.slice(start, Math.min(end, start + 2000));
  const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1]);
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1]);
  const streamAt = text.indexOf("stream", start);
  const endAt = text.indexOf("endstream", streamAt);
  if (!n || !first || streamAt < 0 || endAt < 0 || endAt > end || !/FlateDecode/.test(dict)) return [];
  let dataStart = streamAt + "stream".length;
  if (text[dataStart] === "\r") dataStart++;
  if (text[dataStart] === "\n") dataStart++;
  let data: string;
  try {
    data = inflateSync(Buffer.from(bytes.subarray(dataStart, endAt))).toString("latin1");
  } catch {
    return [];
  }
  const numbers = data.slice(0, first).trim().split(/\s+/).map(Number);
  const out: [number, string][] = [];
  for (let i = 0; i < n; i++) {
    const num = numbers[2 * i]!;
    const offset = numbers[2 * i + 1]!;
    const next = i + 1 < n ? numbers[2 * i + 3]! : data.length - first;
    out.push([num, data.slice(first + offset, first + next)]);
  }
  return out;
}
