import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemorySaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { compilePaperToCode } from "../../graphs/paper2code.js";
import { finalizeNode } from "../../src/nodes/finalize.js";
import { tinyRules } from "../fixtures/tiny-replies.js";
import { KeyedFakeChatModel } from "../support/fake-model.js";
import { TINY_PAPER } from "../support/node-state.js";

describe("finalize", () => {
  it("never reports success when a planned file is missing or empty", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "p2c-finalize-"));
    try {
      const graph = compilePaperToCode(new MemorySaver());
      const config = {
        configurable: {
          thread_id: "finalize",
          chatModel: new KeyedFakeChatModel(tinyRules()),
          refinePlan: 0,
          refineArchitecture: 0,
          refineLogic: 0,
          refineConfig: 0,
          refineAnalysis: 0,
        },
        recursionLimit: 200,
      };
      const state = await graph.invoke({ paperPath: TINY_PAPER, outDir }, config);
      expect(state.status).toBe("complete");

      await writeFile(join(outDir, "repo", "model.py"), "");
      await rm(join(outDir, "repo", "train.py"));
      const update = await finalizeNode(state, config);
      expect(update.status).toBe("failed");
      expect(update.notes).toEqual(["missing or empty files: model.py, train.py"]);
      expect(JSON.parse(await readFile(join(outDir, "run.json"), "utf8")).status).toBe("failed");
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
