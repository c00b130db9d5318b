import type { StateGraph } from "@langchain/langgraph";
import { refineNode } from "../agents/refiner.js";
import { reviewGate } from "../agents/reviewer.js";
import { artifactNode } from "../agents/stage-nodes.js";
import type { ReviewedStage } from "../agents/stage.js";
import { afterVerify, verifyNode } from "../agents/verifier.js";
import { gateOf, REVIEWABLE_STAGES } from "./stages.js";

/** A graph builder whose node names are any strings: stages add nodes by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Builder = StateGraph<any, any, any, string, any, any, any>;

/** Every node of a graph declares its stage: the call journal reads it (a rewound stage's calls are made afresh). */
export const inStage = (stage: string | undefined) => ({ metadata: { stage } });

/**
 * One reviewed stage: `<node> -> verify_<name> (<-> refine_<name>, bounded by
 * its refine setting) -> <name>_ready`, the gate where a person may approve or
 * edit it. `after`: the node the agent starts after.
 */
export function addReviewedStage<G extends Builder>(graph: G, stage: ReviewedStage, after: string): G {
  const verify = `verify_${stage.name}`;
  const refine = `refine_${stage.name}`;
  const gate = gateOf(stage);
  const meta = inStage(stage.name);
  return graph
    .addNode(stage.node, artifactNode(stage), meta)
    .addNode(verify, verifyNode(stage), meta)
    .addNode(refine, refineNode(stage), meta)
    .addNode(gate, reviewGate(stage, REVIEWABLE_STAGES), meta)
    .addEdge(after, stage.node)
    .addEdge(stage.node, verify)
    .addConditionalEdges(verify, afterVerify(stage, refine, gate), [refine, gate])
    .addEdge(refine, verify) as G;
}
