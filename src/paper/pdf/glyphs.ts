import type { PdfItem } from "./types.js";

/**
 * Glyph-level repairs of a page's text items before lines are built:
 * subscripts and superscripts joined to what they follow ("d" + "model" set
 * smaller and lower becomes "d_model", "10" + "6" raised becomes "10^6"), and
 * accents that TeX draws as separate glyphs joined to their letter ("Z¨urich"
 * becomes "Zürich").
 */

const SPACING_ACCENTS: Record<string, string> = {
  "¨": "\u0308",
  "´": "\u0301",
  "`": "\u0300",
  ˆ: "\u0302",
  "˜": "\u0303",
  "¸": "\u0327",
  ˇ: "\u030c",
  "˘": "\u0306",
  "˙": "\u0307",
  "˚": "\u030a",
  "¯": "\u0304",
  "˝": "\u030b",
  "˛": "\u0328",
};
const ACCENT_CLASS = `[${Object.keys(SPACING_ACCENTS).join("")}]`;
const ACCENT_BEFORE_LETTER = new RegExp(`(${ACCENT_CLASS}) ?([A-Za-zıȷ])`, "g");
/** Marks set under a letter (cedilla, ogonek) come after it. */
const MARK_AFTER_LETTER = /([A-Za-z])([¸˛])/g;

/** The letter with the accent on it, when Unicode has it as one character; otherwise undefined. */
function composed(letter: string, accent: string): string | undefined {
  const base = letter === "ı" ? "i" : letter === "ȷ" ? "j" : letter;
  const joined = `${base}${SPACING_ACCENTS[accent]}`.normalize("NFC");
  return [...joined].length === 1 ? joined : undefined;
}

/** "Z¨urich" -> "Zürich", "Universit´e" -> "Université"; combining marks composed (NFC). Accents that compose with nothing stay. */
export function composeAccents(text: string): string {
  return text
    .replace(MARK_AFTER_LETTER, (all, letter: string, mark: string) => composed(letter, mark) ?? all)
    .replace(ACCENT_BEFORE_LETTER, (all, accent: string, letter: string) => composed(letter, accent) ?? all)
    .normalize("NFC");
}

const isAccent = (item: PdfItem) => item.text.length === 1 && item.text in SPACING_ACCENTS;
const right = (item: PdfItem) => item.x + item.width;

/** An accent drawn as its own item lands on the letter under it: the end of the item before, or the start of the one after. */
function attachAccents(items: PdfItem[]): PdfItem[] {
  const out = items.map((i) => ({ ...i }));
  const dropped = new Set<PdfItem>();
  for (const accent of out) {
    if (!isAccent(accent)) continue;
    const center = accent.x + accent.width / 2;
    const near = out.filter(
      (o) => o !== accent && !dropped.has(o) && !isAccent(o) && Math.abs(o.y - accent.y) <= Math.max(o.size, accent.size) * 0.8,
    );
    const under = near.find((o) => center >= o.x - 0.5 && center <= right(o) + 0.5);
    if (!under) continue;
    const chars = [...under.text];
    const perChar = under.width / Math.max(1, chars.length);
    const index = Math.min(chars.length - 1, Math.max(0, Math.floor((center - under.x) / perChar)));
    const letter = composed(chars[index]!, accent.text);
    if (!letter) continue;
    chars[index] = letter;
    under.text = chars.join("");
    dropped.add(accent);
  }
  return out.filter((i) => !dropped.has(i));
}

/** Text of a script joined to its host: `_k`, `^6`, or `_{i,j}` when it is more than one word character run. */
function scriptText(text: string, mark: "_" | "^" | ""): string {
  const t = text.trim();
  if (!mark) return t;
  return /^[A-Za-z0-9]+$/.test(t) ? `${mark}${t}` : `${mark}{${t}}`;
}

/**
 * Join each small item that starts where a larger one ends, on about the same
 * baseline, to that item: lower is a subscript, higher a superscript, level
 * (small capitals) plain text. A footnote mark at the start of a line has no
 * host and stays as it is.
 */
export function attachScripts(items: PdfItem[]): PdfItem[] {
  const out = attachAccents(items);
  // Hosts by where they end (an end moves right as scripts join): a small item looks only near its own start.
  const byEnd = new Map<number, { host: PdfItem; end: number }[]>();
  const addEnd = (host: PdfItem, end: number) => {
    const key = Math.floor(end);
    byEnd.set(key, [...(byEnd.get(key) ?? []), { host, end }]);
  };
  for (const item of out) addEnd(item, right(item));
  const joined = new Set<PdfItem>();
  // The last script joined to each host: a script that continues it ("−" then "9") joins the same group.
  const lastScript = new Map<PdfItem, { mark: string; end: number; text: string; before: string }>();
  for (const small of [...out].sort((a, b) => a.x - b.x || b.y - a.y)) {
    if (joined.has(small) || !small.text.trim()) continue;
    let best: { host: PdfItem; gap: number } | undefined;
    for (let key = Math.floor(small.x - 12); key <= Math.floor(small.x + 1); key++) {
      for (const { host, end } of byEnd.get(key) ?? []) {
        if (host === small || joined.has(host) || host.size * 0.85 < small.size) continue;
        if (Math.abs(host.y - small.y) > host.size * 0.6) continue;
        const gap = small.x - end;
        if (gap >= -1 && gap <= host.size * 0.3 && (!best || Math.abs(gap) < Math.abs(best.gap))) best = { host, gap };
      }
    }
    if (!best) continue;
    const { host } = best;
    const dy = small.y - host.y;
    const mark = dy < -0.12 * host.size ? "_" : dy > 0.12 * host.size ? "^" : "";
    const last = lastScript.get(host);
    if (last && mark && last.mark === mark && Math.abs(small.x - last.end) <= 1) {
      const text = `${last.text}${small.text.trim()}`;
      host.text = `${last.before}${scriptText(text, mark as "_" | "^")}`;
      lastScript.set(host, { ...last, end: right(small), text });
    } else {
      lastScript.set(host, { mark, end: right(small), text: small.text.trim(), before: host.text });
      host.text = `${host.text}${scriptText(small.text, mark as "_" | "^" | "")}`;
    }
    addEnd(host, right(small));
    host.width = Math.max(right(host), right(small)) - host.x;
    joined.add(small);
  }
  return out.filter((i) => !joined.has(i));
}
