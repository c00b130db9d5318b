/** Helpers shared by the reply parsers: reasoning blocks and Markdown fences. */

/** Drop `<think>…</think>` (and `<thinking>`) blocks that reasoning models put before the answer. */
export function stripReasoning(text: string): string {
  let out = text.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, "");
  // An unclosed block at the very start means the answer follows a lost closing tag: keep what follows the last tag-free line break.
  const open = /^\s*<(think|thinking|reasoning)>/i.exec(out);
  if (open) {
    const close = out.search(/<\/(think|thinking|reasoning)>/i);
    out = close >= 0 ? out.slice(close).replace(/^<\/\w+>/, "") : out.replace(open[0], "");
  }
  return out.trim();
}

export interface Fence {
  /** The info string after the opening fence, e.g. `python`, `python title="a.py"`, `json`. */
  info: string;
  body: string;
  /** The text between the previous fence (or the start) and this fence. */
  before: string;
  closed: boolean;
}

/** All fenced blocks; a last block whose closing fence is missing runs to the end of the text. */
export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  const lines = text.split("\n");
  let open: { marker: string; info: string; start: number } | undefined;
  let lastEnd = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!open) {
      const m = /^\s*(`{3,}|~{3,})\s*(.*)$/.exec(line);
      if (m) open = { marker: m[1]!, info: m[2]!.trim(), start: i };
    } else if (line.trim().startsWith(open.marker) && line.trim().replace(/[`~]/g, "") === "") {
      fences.push({
        info: open.info,
        body: lines.slice(open.start + 1, i).join("\n"),
        before: lines.slice(lastEnd, open.start).join("\n"),
        closed: true,
      });
      lastEnd = i + 1;
      open = undefined;
    }
  }
  if (open) {
    fences.push({
      info: open.info,
      body: lines
        .slice(open.start + 1)
        .join("\n")
        .replace(/\s*`{3,}\s*$/, ""),
      before: lines.slice(lastEnd, open.start).join("\n"),
      closed: false,
    });
  }
  return fences;
}
