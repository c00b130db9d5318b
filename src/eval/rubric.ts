/**
 * PaperBench rubrics: a tree of requirements (id, requirements, weight,
 * sub_tasks, task_category). Leaves are judged 0 or 1; a parent scores the
 * weighted mean of its children. `--code-dev` keeps the "Code Development"
 * leaves and drops internal nodes left without children.
 */
import { z } from "zod";

export interface RubricNode {
  id: string;
  requirements: string;
  weight: number;
  sub_tasks: RubricNode[];
  task_category?: string | null;
  finegrained_task_category?: string | null;
}

export const RubricNodeSchema: z.ZodType<RubricNode, unknown> = z.lazy(() =>
  z.object({
    id: z.string().min(1),
    requirements: z.string(),
    weight: z.number().nonnegative(),
    sub_tasks: z.array(RubricNodeSchema).default([]),
    task_category: z.string().nullable().optional(),
    finegrained_task_category: z.string().nullable().optional(),
  }),
) as z.ZodType<RubricNode, unknown>;

export const CODE_DEVELOPMENT = "Code Development";

export function parseRubric(json: unknown): RubricNode {
  return RubricNodeSchema.parse(json);
}

export const isLeaf = (node: RubricNode) => node.sub_tasks.length === 0;

export function leavesOf(node: RubricNode): RubricNode[] {
  return isLeaf(node) ? [node] : node.sub_tasks.flatMap(leavesOf);
}

/** The leaf's requirement with its ancestors', root first: what a judge needs to read it in context. */
export function ancestry(root: RubricNode, id: string): RubricNode[] | undefined {
  if (root.id === id) return [root];
  for (const child of root.sub_tasks) {
    const path = ancestry(child, id);
    if (path) return [root, ...path];
  }
  return undefined;
}

/** Only the Code Development leaves; an internal node with no child left is dropped (undefined: nothing left at all). */
export function pruneToCodeDevelopment(node: RubricNode): RubricNode | undefined {
  if (isLeaf(node)) return node.task_category === CODE_DEVELOPMENT ? node : undefined;
  const children = node.sub_tasks.map(pruneToCodeDevelopment).filter((c): c is RubricNode => c !== undefined);
  return children.length ? { ...node, sub_tasks: children } : undefined;
}

export interface ScoredNode {
  id: string;
  requirements: string;
  weight: number;
  /** In [0, 1]. */
  score: number;
  /** Leaves only: whether a judgment exists (an unjudged leaf scores 0). */
  judged?: boolean;
  children: ScoredNode[];
}

/** Score the tree from the leaves' 0/1 judgments; a parent is the weighted mean of its children (plain mean when all weights are 0). */
export function scoreRubric(node: RubricNode, judgments: ReadonlyMap<string, number>): ScoredNode {
  if (isLeaf(node)) {
    const value = judgments.get(node.id);
    return {
      id: node.id,
      requirements: node.requirements,
      weight: node.weight,
      score: value ?? 0,
      judged: value !== undefined,
      children: [],
    };
  }
  const children = node.sub_tasks.map((c) => scoreRubric(c, judgments));
  const total = children.reduce((sum, c) => sum + c.weight, 0);
  const score =
    total > 0
      ? children.reduce((sum, c) => sum + c.weight * c.score, 0) / total
      : children.reduce((sum, c) => sum + c.score, 0) / children.length;
  return { id: node.id, requirements: node.requirements, weight: node.weight, score, children };
}
