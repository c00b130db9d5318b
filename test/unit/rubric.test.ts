import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ancestry, leavesOf, parseRubric, pruneToCodeDevelopment, scoreRubric, type RubricNode } from "../../src/eval/rubric.js";

const leaf = (id: string, weight: number, category = "Code Development"): RubricNode => ({
  id,
  requirements: `req ${id}`,
  weight,
  sub_tasks: [],
  task_category: category,
});
const node = (id: string, weight: number, children: RubricNode[]): RubricNode => ({
  id,
  requirements: `req ${id}`,
  weight,
  sub_tasks: children,
  task_category: null,
});

const tree = node("root", 1, [
  node("A", 2, [leaf("a1", 1), leaf("a2", 3, "Execution")]),
  node("B", 1, [leaf("b1", 1), node("C", 1, [leaf("c1", 1, "Result Analysis")])]),
]);

describe("rubric scores", () => {
  const all = (value: number) => new Map(leavesOf(tree).map((l) => [l.id, value]));
  it("all leaves 1 gives 100%, all 0 gives 0", () => {
    expect(scoreRubric(tree, all(1)).score).toBe(1);
    expect(scoreRubric(tree, all(0)).score).toBe(0);
  });
  it("a parent is the weighted mean of its children", () => {
    // A = (1*1 + 3*0)/4 = 0.25; C = 0; B = (1*1 + 1*0)/2 = 0.5; root = (2*0.25 + 1*0.5)/3 = 1/3
    const scored = scoreRubric(
      tree,
      new Map([
        ["a1", 1],
        ["a2", 0],
        ["b1", 1],
        ["c1", 0],
      ]),
    );
    expect(scored.children.map((c) => c.score)).toEqual([0.25, 0.5]);
    expect(scored.score).toBeCloseTo(1 / 3, 12);
  });
  it("an unjudged leaf scores 0 and says so", () => {
    const scored = scoreRubric(tree, new Map([["a1", 1]]));
    expect(scored.children[0]!.children[1]).toMatchObject({ id: "a2", score: 0, judged: false });
  });
  it("Code-Dev pruning keeps the Code Development leaves and drops emptied internal nodes", () => {
    const pruned = pruneToCodeDevelopment(tree)!;
    expect(leavesOf(pruned).map((l) => l.id)).toEqual(["a1", "b1"]);
    expect(pruned.sub_tasks[1]!.sub_tasks.map((c) => c.id)).toEqual(["b1"]);
    expect(ancestry(pruned, "b1")!.map((n) => n.id)).toEqual(["root", "B", "b1"]);
  });
  it("refuses a malformed rubric", () => {
    expect(() => parseRubric({ id: "x", requirements: "r", weight: -1, sub_tasks: [] })).toThrow();
  });
});

const shared = join(import.meta.dirname, "..", "..", "..", "shared", "paperbench");
describe.skipIf(!existsSync(shared))("the PaperBench rubrics in ../shared/paperbench", () => {
  it.each([
    ["mechanistic-understanding", 36],
    ["stochastic-interpolants", 58],
    ["robust-clip", 70],
  ])("%s: Code-Dev keeps %i leaves; all 1 gives 100, all 0 gives 0, one leaf gives its weighted share", (name, expected) => {
    const rubric = parseRubric(JSON.parse(readFileSync(join(shared, name, "rubric.json"), "utf8")));
    const codeDev = pruneToCodeDevelopment(rubric)!;
    const leaves = leavesOf(codeDev);
    expect(leaves).toHaveLength(expected);
    expect(scoreRubric(codeDev, new Map(leaves.map((l) => [l.id, 1]))).score).toBeCloseTo(1, 12);
    expect(scoreRubric(codeDev, new Map(leaves.map((l) => [l.id, 0]))).score).toBe(0);
    // A leaf's share is the product, along its ancestry, of each node's weight over its siblings' total
    // (1 / siblings when they all weigh 0). A set of passed leaves scores the sum of their shares.
    const shareOf = (id: string) => {
      const path = ancestry(codeDev, id)!;
      let share = 1;
      for (let i = 1; i < path.length; i++) {
        const siblings = path[i - 1]!.sub_tasks;
        const total = siblings.reduce((s, c) => s + c.weight, 0);
        share *= total > 0 ? path[i]!.weight / total : 1 / siblings.length;
      }
      return share;
    };
    expect(scoreRubric(codeDev, new Map([[leaves[0]!.id, 1]])).score).toBeCloseTo(shareOf(leaves[0]!.id), 12);
    const subset = leaves.filter((_, i) => i % 3 === 0).map((l) => l.id);
    const expectedScore = subset.reduce((sum, id) => sum + shareOf(id), 0);
    expect(expectedScore).toBeGreaterThan(0);
    expect(expectedScore).toBeLessThan(1);
    expect(scoreRubric(codeDev, new Map(subset.map((id) => [id, 1]))).score).toBeCloseTo(expectedScore, 12);
  });
});
