import { type PaperRecord } from "../state.js";
import { paperStructureOf } from "../workspace/design.js";
import { checkProvenance, type ProvenanceReport } from "./check.js";
import { PaperIndex } from "./paper-index.js";

const indexes = new Map<string, PaperIndex>();

/** The provenance of a run's config.yaml against its ingested paper; undefined when either is not there to check. */
export async function provenanceOfRun(
  state: { outDir?: string; paper?: PaperRecord },
  config: { yaml: string; valid: boolean } | undefined,
): Promise<ProvenanceReport | undefined> {
  if (!config?.valid) return undefined;
  const key = `${state.outDir}\0${state.paper?.structureSha}`;
  let index = indexes.get(key);
  if (!index) {
    const paper = await paperStructureOf(state);
    if (!paper) return undefined;
    index = new PaperIndex(paper);
    indexes.set(key, index);
  }
  return checkProvenance(config.yaml, index.paper, index);
}
