import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemorySaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { defectRules } from "../fixtures/defect-replies.js";
import { KeyedFakeChatModel } from "../support/fake-model.js";
import { TINY_PAPER } from "../support/node-state.js";

describe("the verify -> refine loop", () => {
  it("stops at its bound when the verifier never passes, and says so", async () => {
    const model = new KeyedFakeChatModel(defectRules({ verifierAlwaysFails: true }));
    const outDir = await mkdtemp(join(tmpdir(), "p2c-bound-"));
    const graph = compilePaperToCode(new MemorySaver());
    const state = await graph.invoke(
      { paperPath: TINY_PAPER, outDir },
      {
        configurable: { thread_id: "bound", chatModel: model, refinePlan: 2, refineArchitecture: 0, refineLogic: 1, refineConfig: 1 },
        recursionLimit: 200,
      },
    );
    const plan = state.reviews.filter((r) => r.stage === "plan");
    expect(plan.map((r) => r.action)).toEqual(["refine", "refine", "gave-up"]);
    expect(model.requests.filter((r) => r.rule === "refine:plan")).toHaveLength(2);
    expect(state.notes.some((n) => /^plan: 1 problem\(s\) remain after 2 refine round\(s\)/.test(n))).toBe(true);
    expect((await readdir(join(outDir, "artifacts", "reviews", "plan"))).sort()).toEqual([
      "round-0-after.json",
      "round-0-before.json",
      "round-0-verdict.json",
      "round-1-after.json",
      "round-1-before.json",
      "round-1-verdict.json",
      "round-2-verdict.json",
    ]);
    // The run still completes: a bounded loop hands on its best artifact.
    expect(state.status).toBe("complete");
    // refineArchitecture 0: deterministic checks only, no verifier call for it.
    expect(state.reviews.filter((r) => r.stage === "architecture").map((r) => r.score)).toEqual([undefined]);
  });
});
