import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingestNode } from "../../src/nodes/ingest.js";
import { PaperToCodeAnnotation, type PaperToCodeState } from "../../src/state.js";

export const TINY_PAPER = join(import.meta.dirname, "..", "..", "examples", "xor-perceptron.md");

/** A state as the graph would hold it after ingest, for invoking single nodes. */
export async function ingestedState(paperPath = TINY_PAPER): Promise<PaperToCodeState> {
  const outDir = await mkdtemp(join(tmpdir(), "p2c-node-"));
  const empty: PaperToCodeState = {
    ...Object.fromEntries(Object.entries(PaperToCodeAnnotation.spec).map(([k]) => [k, undefined])),
    analyses: {},
    code: {},
    calls: [],
    notes: [],
    paperPath,
    outDir,
  } as unknown as PaperToCodeState;
  const update = await ingestNode(empty);
  return { ...empty, ...update };
}
