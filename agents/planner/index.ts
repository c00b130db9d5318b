import { artifactNode } from "../stage-nodes.js";
import { planStage } from "./stage.js";

export * from "./stage.js";

export const plannerNode = artifactNode(planStage);
