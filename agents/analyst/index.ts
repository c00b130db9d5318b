import { artifactNode } from "../stage-nodes.js";
import { analysisStage } from "./stage.js";

export * from "./stage.js";

export const analystNode = artifactNode(analysisStage);
