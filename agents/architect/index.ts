import { artifactNode } from "../stage-nodes.js";
import { architectureStage } from "./stage.js";

export * from "./stage.js";

export const architectNode = artifactNode(architectureStage);
