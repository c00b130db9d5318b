/**
 * The config keys a design names in its prose, and those config.yaml does not
 * have. The logic designer writes beside the config writer, so names drift
 * (`aggregation.tie_tol` against config.yaml's `aggregation.tie_tolerance`);
 * config.yaml is the one both must use.
 */

export interface KeyReference {
  path: string;
  /** Where it was named: a file of the design, or the shared conventions. */
  where: string;
}

export interface KeyMismatch extends KeyReference {
  /** config.yaml's closest key, when one is close enough to be meant. */
  suggestion?: string;
}

const SEGMENT = "[A-Za-z_][A-Za-z0-9_]*";
const DOTTED = new RegExp(
  `(?<![\\w.\\[/-])(?:(?:config|cfg|conf|self\\.config|self\\.cfg)\\.)?(${SEGMENT}(?:\\.${SEGMENT})+)(?![\\w(])`,
  "g",
);
const SUBSCRIPTS = /(?:\[\s*["']([\w.-]+)["']\s*\])+/g;
const GETS = /(?:\.get\(\s*["']([\w.-]+)["'][^)]*\))+/g;
const FILE_LIKE = /\.(py|ya?ml|json|txt|csv|md|sh|pt|pth|ckpt|npy|npz|pkl|h5|log|cfg|toml|ini)$/i;
/** Words near a dotted name that say it is a config key, not a module or an attribute. */
const CONFIG_CONTEXT = /\b(config|cfg|key|keys|yaml|setting|settings|hyper-?parameters?|reads?|from)\b/i;

/** Config key paths named in a text, by their first segment being a top-level key of config.yaml. */
export function keyReferences(text: string, where: string, topLevel: Set<string>): KeyReference[] {
  const found = new Map<string, KeyReference>();
  const add = (path: string) => {
    const first = path.split(".")[0]!;
    if (topLevel.has(first) && path.includes(".") && !FILE_LIKE.test(path)) found.set(path, { path, where });
  };
  for (const m of text.matchAll(DOTTED)) {
    const before = text.slice(Math.max(0, m.index! - 40), m.index!);
    const inCode = /`[^`]*$/.test(before) && text.slice(m.index! + m[0].length).startsWith("`");
    if (m[0].startsWith("config.") || m[0].startsWith("cfg.") || m[0].startsWith("self.") || inCode || CONFIG_CONTEXT.test(before))
      add(m[1]!);
  }
  for (const pattern of [SUBSCRIPTS, GETS]) {
    for (const m of text.matchAll(pattern)) {
      const keys = [...m[0].matchAll(/["']([\w.-]+)["']/g)].map((k) => k[1]!);
      if (keys.length >= 2) add(keys.join("."));
    }
  }
  return [...found.values()];
}

/** Similarity of two key paths (bigram overlap of their letters), 0 to 1. */
function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const t = s.toLowerCase().replace(/[^a-z0-9]/g, "");
    return new Set(Array.from({ length: Math.max(0, t.length - 1) }, (_, i) => t.slice(i, i + 2)));
  };
  const ga = grams(a);
  const gb = grams(b);
  if (ga.size === 0 || gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return (2 * shared) / (ga.size + gb.size);
}

/** config.yaml's key meant by a path it does not have: the most similar one, preferring the same parent. */
export function closestKey(path: string, keys: string[]): string | undefined {
  const parent = path.split(".").slice(0, -1).join(".");
  const leaf = path.split(".").at(-1)!;
  let best: { key: string; score: number } | undefined;
  for (const key of keys) {
    const sameParent = key.split(".").slice(0, -1).join(".") === parent;
    const score = Math.max(similarity(path, key), sameParent ? similarity(leaf, key.split(".").at(-1)!) + 0.1 : 0);
    if (!best || score > best.score) best = { key, score };
  }
  return best && best.score >= 0.55 ? best.key : undefined;
}

/** References to keys config.yaml does not have (a prefix of a key, or a key below a list or a leaf, counts as had). */
export function keyMismatches(references: KeyReference[], keys: string[]): KeyMismatch[] {
  const known = new Set(keys);
  const leaves = keys.filter((k) => !keys.some((other) => other.startsWith(`${k}.`)));
  return references
    .filter(
      (r) => !known.has(r.path) && !r.path.split(".").some((_, i) => i > 0 && leaves.includes(r.path.split(".").slice(0, i).join("."))),
    )
    .map((r) => ({ ...r, ...(closestKey(r.path, leaves) ? { suggestion: closestKey(r.path, leaves) } : {}) }));
}

/**
 * An analysis's config keys made config.yaml's where the one meant is clear
 * (`training.num_step` -> `training.num_steps`): in its key list and wherever its
 * text names the key. Returns the keys changed; a key with no close match stays,
 * for the check to report.
 */
export function alignKeys<T extends { configKeys: string[] }>(analysis: T, keys: string[]): { analysis: T; renamed: [string, string][] } {
  const known = new Set(keys);
  const leaves = keys.filter((k) => !keys.some((other) => other.startsWith(`${k}.`)));
  const renamed: [string, string][] = [];
  for (const key of analysis.configKeys) {
    if (known.has(key)) continue;
    const closest = closestKey(key, leaves);
    if (closest && !analysis.configKeys.includes(closest)) renamed.push([key, closest]);
  }
  if (renamed.length === 0) return { analysis, renamed };
  let text = JSON.stringify(analysis);
  for (const [from, to] of renamed) {
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, "g"), to);
  }
  return { analysis: JSON.parse(text) as T, renamed };
}
