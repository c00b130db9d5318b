import { ancestry, leavesOf, scoreRubric, type RubricNode, type ScoredNode } from "./rubric.js";
import type { LeafJudgment, RepositorySample, Severity } from "./state.js";

export interface SampleSummary {
  mode: RepositorySample["mode"];
  samples: number;
  valid: number;
  invalid: number;
  /** Replies that could not be used, re-asked ones included. */
  invalidReplies: number;
  /** Mean of the valid samples' scores (1-5); null when no sample was valid. */
  mean: number | null;
  stdev: number | null;
  scores: number[];
  /** Components judged not correct, grouped by name across samples, with how many samples said so. */
  problems: { name: string; severity: Severity; samples: number; status: string; critique: string }[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Average the valid samples; invalid ones are counted and left out, never averaged in. */
export function summarizeSamples(mode: RepositorySample["mode"], samples: readonly RepositorySample[]): SampleSummary {
  const mine = samples.filter((s) => s.mode === mode).sort((a, b) => a.sample - b.sample);
  const valid = mine.filter((s) => s.valid && s.judgment);
  const scores = valid.map((s) => s.judgment!.score);
  const m = scores.length ? mean(scores) : null;
  const stdev = m === null ? null : Math.sqrt(mean(scores.map((x) => (x - m) ** 2)));
  const grouped = new Map<string, SampleSummary["problems"][number]>();
  const rank: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
  for (const s of valid) {
    const seen = new Set<string>();
    for (const c of s.judgment!.components) {
      if (c.status === "correct") continue;
      const key = c.name.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const found = grouped.get(key);
      if (found) {
        found.samples += 1;
        if (rank[c.severity] < rank[found.severity]) found.severity = c.severity;
      } else grouped.set(key, { name: c.name.trim(), severity: c.severity, samples: 1, status: c.status, critique: c.critique });
    }
  }
  const problems = [...grouped.values()].sort(
    (a, b) => rank[a.severity] - rank[b.severity] || b.samples - a.samples || a.name.localeCompare(b.name),
  );
  return {
    mode,
    samples: mine.length,
    valid: valid.length,
    invalid: mine.length - valid.length,
    invalidReplies: mine.reduce((sum, s) => sum + s.invalidReplies, 0),
    mean: m,
    stdev,
    scores,
    problems,
  };
}

export interface RubricSummary {
  /** Weighted score in percent (0-100). */
  score: number;
  leaves: number;
  judged: number;
  passed: number;
  invalid: number;
  /** The root's children (and theirs), with their scores in percent. */
  sections: { id: string; requirements: string; depth: number; weight: number; score: number; leaves: number; passed: number }[];
  /** Leaves judged 0, with their reasons (invalid judgments included, marked). */
  failed: { id: string; requirements: string; section: string; explanation: string; valid: boolean }[];
  tree: ScoredNode;
}

/** Score the rubric from the leaves judged so far; an unjudged leaf scores 0 and is counted as such. */
export function summarizeRubric(rubric: RubricNode, leaves: Readonly<Record<string, LeafJudgment>>, sectionDepth = 2): RubricSummary {
  const judgments = new Map(Object.values(leaves).map((l) => [l.id, l.score as number]));
  const tree = scoreRubric(rubric, judgments);
  const all = leavesOf(rubric);
  const judged = all.filter((l) => leaves[l.id]);
  const sections: RubricSummary["sections"] = [];
  const visit = (node: ScoredNode, source: RubricNode, depth: number) => {
    if (depth > sectionDepth || source.sub_tasks.length === 0) return;
    const inside = leavesOf(source);
    sections.push({
      id: node.id,
      requirements: node.requirements,
      depth,
      weight: node.weight,
      score: 100 * node.score,
      leaves: inside.length,
      passed: inside.filter((l) => leaves[l.id]?.score === 1).length,
    });
    node.children.forEach((child, i) => visit(child, source.sub_tasks[i]!, depth + 1));
  };
  tree.children.forEach((child, i) => visit(child, rubric.sub_tasks[i]!, 1));
  const failed = judged
    .filter((l) => leaves[l.id]!.score === 0)
    .map((l) => ({
      id: l.id,
      requirements: l.requirements,
      section: ancestry(rubric, l.id)?.[1]?.requirements ?? "",
      explanation: leaves[l.id]!.explanation,
      valid: leaves[l.id]!.valid,
    }));
  return {
    score: 100 * tree.score,
    leaves: all.length,
    judged: judged.length,
    passed: judged.filter((l) => leaves[l.id]!.score === 1).length,
    invalid: judged.filter((l) => !leaves[l.id]!.valid).length,
    sections,
    failed,
    tree,
  };
}
