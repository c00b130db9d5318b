import { Annotation } from "@langchain/langgraph";
import { BaseConfigurationAnnotation } from "../src/configuration.js";
import { REVIEWED_STAGES } from "./stages.js";

const rounds = Annotation<number | undefined>;
type RefineSetting = (typeof REVIEWED_STAGES)[number]["refine"]["setting"];

/** The graph's configurable settings (what Studio shows): the base settings, and each reviewed stage's verify/refine rounds. */
export const ConfigurationAnnotation = Annotation.Root({
  ...BaseConfigurationAnnotation.spec,
  ...(Object.fromEntries(REVIEWED_STAGES.map((s) => [s.refine.setting, rounds])) as Record<RefineSetting, typeof rounds>),
});
