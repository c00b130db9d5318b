import type { RunnableConfig } from "@langchain/core/runnables";
import { interrupt } from "@langchain/langgraph";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AnalysisSchema } from "../../agents/analyst.js";
import { ArchitectureReplySchema } from "../../agents/architect.js";
import { flattenKeys, type ConfigArtifact } from "../../agents/config-writer.js";
import { LogicDesignReplySchema } from "../../agents/logic-designer.js";
import { PlanSchema } from "../../agents/planner.js";
import { reviewStagesFrom } from "../configuration.js";
import { describeZodError } from "../llm/ask.js";
import type { ReviewableStage } from "../stages.js";
import type { PaperToCodeState, PaperToCodeUpdate } from "../state.js";
import { writeArtifact } from "../workspace/writer.js";
import { STAGES } from "./nodes.js";

/** What a paused run shows the person reviewing it (the interrupt's value). */
export interface ReviewRequest {
  stage: ReviewableStage;
  /** Where the artifact is rendered for reading, relative to the run folder. */
  artifact: string;
  /** The editable form: YAML text for config, a JSON object otherwise (analysis: file -> analysis). */
  current: unknown;
  /** Why the previous decision was refused, when it was. */
  error?: string;
  how: string;
}

/** The answer to a review: go on as is, or go on with this artifact instead. */
export const ReviewDecisionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("approve") }),
  z.object({ action: z.literal("edit"), value: z.unknown() }),
]);
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

const ARTIFACT_FILE: Record<ReviewableStage, string> = {
  plan: "artifacts/plan.md",
  architecture: "artifacts/architecture.md",
  logic: "artifacts/logic.md",
  config: "artifacts/config.yaml",
  analysis: "artifacts/analysis/",
};

/** The artifact of `stage` in its editable form. */
export function editableArtifact(stage: ReviewableStage, state: PaperToCodeState): unknown {
  switch (stage) {
    case "config":
      return state.config?.yaml;
    case "analysis":
      return state.analyses;
    default:
      return state[stage];
  }
}

/** Turn an edited artifact into a state update, or say what is wrong with it. */
export function applyEdit(stage: ReviewableStage, value: unknown): { update: PaperToCodeUpdate } | { error: string } {
  try {
    switch (stage) {
      case "plan":
        return { update: { plan: PlanSchema.parse(value) } };
      case "architecture":
        return { update: { architecture: ArchitectureReplySchema.parse(value) } };
      case "logic":
        return { update: { logic: LogicDesignReplySchema.parse(value) } };
      case "analysis":
        return { update: { analyses: z.record(z.string(), AnalysisSchema).parse(value) } };
      case "config": {
        if (typeof value !== "string") return { error: "config must be given as YAML text" };
        const parsed: unknown = parseYaml(value);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { error: "config.yaml must be a mapping of settings" };
        const yaml = value.endsWith("\n") ? value : `${value}\n`;
        const config: ConfigArtifact = { yaml, keys: flattenKeys(parsed), valid: true };
        return { update: { config } };
      }
    }
  } catch (error) {
    return { error: error instanceof z.ZodError ? describeZodError(error) : (error as Error).message };
  }
}

/** Write an edited artifact where the agents' own versions go. */
export async function writeEditedArtifact(outDir: string, stage: ReviewableStage, update: PaperToCodeUpdate, state: PaperToCodeState) {
  if (stage === "analysis") {
    for (const [path, analysis] of Object.entries(update.analyses ?? {})) {
      await STAGES.analysis.write(outDir, analysis, { ...state, target: path } as never);
    }
    return;
  }
  const spec = STAGES[stage] as { write(out: string, value: unknown, state: PaperToCodeState): Promise<unknown> };
  await spec.write(outDir, update[stage as keyof PaperToCodeUpdate], state);
}

/**
 * The gate at the end of a stage. When the stage is under review it pauses the
 * run (interrupt) until a decision arrives: approve, or edit with a new artifact.
 * An edit that does not validate pauses again with the reason.
 */
export function reviewGate(stage: ReviewableStage) {
  return async (state: PaperToCodeState, config?: RunnableConfig): Promise<PaperToCodeUpdate> => {
    if (!reviewStagesFrom(config).includes(stage)) return {};
    let error: string | undefined;
    for (;;) {
      const request: ReviewRequest = {
        stage,
        artifact: ARTIFACT_FILE[stage],
        current: editableArtifact(stage, state),
        ...(error ? { error } : {}),
        how: `approve: {"action":"approve"}; edit: {"action":"edit","value":<the artifact in the form of 'current'>}`,
      };
      const parsed = ReviewDecisionSchema.safeParse(interrupt<ReviewRequest, unknown>(request));
      if (!parsed.success) {
        error = `not a review decision: ${describeZodError(parsed.error)}`;
        continue;
      }
      if (parsed.data.action === "approve") return { notes: [`${stage} approved by a reviewer`] };
      const edited = applyEdit(stage, parsed.data.value);
      if ("error" in edited) {
        error = `the edited ${stage} is not valid: ${edited.error}`;
        continue;
      }
      await writeEditedArtifact(state.outDir!, stage, edited.update, state);
      return { ...edited.update, notes: [`${stage} edited by a reviewer`] };
    }
  };
}
