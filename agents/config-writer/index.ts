import { artifactNode } from "../stage-nodes.js";
import { configStage } from "./stage.js";

export * from "./stage.js";

export const configWriterNode = artifactNode(configStage);
