import { artifactNode } from "../stage-nodes.js";
import { logicStage } from "./stage.js";

export * from "./stage.js";

export const logicDesignerNode = artifactNode(logicStage);
