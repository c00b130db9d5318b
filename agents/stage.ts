import type { z } from "zod";
import type { ContextSource } from "../src/llm/context.js";
import { prompt } from "../src/prompts.js";
import { JSON_PATCH_FORMAT, mergePatch, patchSchemaOf, type KeyedLists } from "../src/review/patch.js";
import type { ReviewIssue } from "../src/review/types.js";
import type { Design, PaperToCodeState, PaperToCodeUpdate } from "../src/state.js";
import { writeArtifact } from "../src/workspace/writer.js";

/*
 * This module is light on purpose (no model client, no LangGraph): the CLI reads
 * the stages' vocabulary from it at start. The nodes that ask models are in
 * stage-nodes.ts, verifier.ts, refiner.ts and reviewer.ts.
 */

/** What every stage's state has: where the run writes, and (per-file stages) the file it is about. */
export interface StageState {
  outDir?: string;
  target?: string;
  /** A file's place on the critical path (FileTask.priority). */
  priority?: number;
}

/**
 * Everything the pipeline knows about one reviewed artifact, in one place: the
 * agent that makes it, how it is shown, checked, verified, refined and edited
 * by a person. Generic nodes (artifactNode, verifyNode, refineNode, reviewGate)
 * read it; graphs/stages.ts lists the stages and derives their vocabularies.
 */
// Lists hold stages of different states and artifacts: by default a stage is any stage.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface ReviewedStage<
  S extends StageState = any,
  T = any,
  Setting extends string = string,
  U extends PaperToCodeUpdate = PaperToCodeUpdate,
> {
  /* eslint-enable @typescript-eslint/no-explicit-any */
  /** The name users give it (`--review`, `rewind --to`, `edit`), and the middle of its node names: verify_<name>, refine_<name>, <name>_ready. */
  name: string;
  /** The node of the agent that makes it (also the agent's name in call records). */
  node: string;
  /** The agent as progress lines and notes name it ("logic designer"). */
  title: string;
  /** The artifact as the verifier names it ("the logic design"). */
  label: string;
  /** The configurable bounding its verify/refine rounds. */
  refine: { setting: Setting; default: number };
  /** Where a reviewer reads it, relative to the run folder. */
  artifactFile: string;
  /** What its agent, verifier and refiner read besides the paper. */
  reads: readonly ContextSource[];
  /** How later agents read it, when they do. */
  asContext?: ContextSource;
  /** Read what the state only references (a per-file task's design) before anything else. */
  load?: (state: never) => Promise<S>;
  /** Its agent's prompt file under prompts/ (without .md). */
  prompt: string;
  /** The agent's task (the prompt after the shared context); the refiner quotes it. */
  task(state: S): string;
  /** The agent's reply: how it is parsed and validated (re-asked when it is not). */
  reply: Reply<T>;
  /** Deterministic corrections of a fresh artifact, at no call, with a note for each. */
  accept?(value: T, state: S): { value: T; notes: string[] };
  get(state: S): T | undefined;
  update(value: T, state: S): U;
  /** Write it to artifacts/. */
  write(outDir: string, value: T, state: S): Promise<unknown>;
  /** What the verifier reads. */
  show(value: T): string;
  checks(state: S, value: T): ReviewIssue[] | Promise<ReviewIssue[]>;
  /** The refiner's reply: its format (written into the task), the artifact as the refiner sees it, and how its reply becomes the corrected artifact. */
  patch: { format: string; extension: string; current(value: T): string; reply(current: T): Reply<T> };
  /** A person's edit: the form it is edited in, and how an edit becomes a state update (or why it cannot). */
  editable(state: S): unknown;
  applyEdit(value: unknown): PaperToCodeUpdate;
  writeEdit?(outDir: string, update: PaperToCodeUpdate, state: S): Promise<unknown>;
}

/** The state a stage's node works on: its input, or what `load` reads from it (a per-file task's design). */
export const stateOf = async <S extends StageState>(stage: ReviewedStage<S>, input: unknown): Promise<S> =>
  stage.load ? stage.load(input as never) : (input as S);

/** How notes name a stage's artifact: "analysis of model.py", or the stage alone. */
export const whereOf = (stage: ReviewedStage, state: StageState) => (state.target ? `${stage.name} of ${state.target}` : stage.name);

/**
 * How a reply becomes an artifact: a JSON object validated by `json` (the
 * provider's JSON-schema mode when it has one), then `accept`ed; or text, parsed
 * by `text`. What either throws makes the reply re-asked.
 */
export type Reply<T> =
  | { json: z.ZodType; schemaName: string; accept?: (value: any) => T } // eslint-disable-line @typescript-eslint/no-explicit-any
  | { text: (reply: string) => T };

const json = (v: unknown) => JSON.stringify(v, null, 2);

/**
 * A JSON artifact: its schema, the reply schema that also normalises it (paths
 * confined, fences stripped; default: the schema), its name in JSON-schema mode,
 * and its lists of named entries, which a refiner's patch changes entry by entry.
 */
export interface JsonArtifact<T> {
  schema: z.ZodObject;
  reply?: z.ZodType<T, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  name: string;
  lists: KeyedLists;
}

const replyOf = <T>(artifact: JsonArtifact<T>) => (artifact.reply ?? artifact.schema) as z.ZodType<T>;

/** How a JSON artifact is refined: a patch of the fields and the named entries it changes (see src/review/patch.ts). */
export function jsonPatch<T extends Record<string, unknown>>(artifact: JsonArtifact<T>): ReviewedStage<StageState, T>["patch"] {
  return {
    format: JSON_PATCH_FORMAT(artifact.lists),
    extension: "json",
    current: json,
    reply: (current) => ({
      json: patchSchemaOf(artifact.schema, artifact.lists),
      schemaName: `${artifact.name}_patch`,
      accept: (patch: Record<string, unknown>) => replyOf(artifact).parse(mergePatch(current, patch, artifact.lists)),
    }),
  };
}

/** The planning artifacts: the design every per-file worker reads (src/state.ts). */
type PlanningKey = Exclude<keyof Design, "files">;
type PlanningStage<K extends PlanningKey, Setting extends string> = ReviewedStage<
  PaperToCodeState,
  NonNullable<PaperToCodeState[K]>,
  Setting,
  { [P in K]: NonNullable<PaperToCodeState[K]> }
>;

/**
 * A planning stage whose artifact is the state's `key`: read, updated and
 * edited there; its agent is named after its node (`logic_designer`: "logic
 * designer", prompt `logic-designer`); users and later agents name it `name`
 * (default: the key).
 */
export function planningStage<K extends PlanningKey, const Setting extends string>(
  key: K,
  spec: Omit<
    PlanningStage<K, Setting>,
    "name" | "title" | "prompt" | "get" | "update" | "editable" | "task" | "asContext" | "artifactFile"
  > &
    Partial<Pick<PlanningStage<K, Setting>, "name" | "editable" | "artifactFile">> & {
      context: { title: string; rank: number; render?: ContextSource["render"] };
    },
): PlanningStage<K, Setting> {
  const { context, ...rest } = spec;
  const name = spec.name ?? key;
  const promptName = spec.node.replace(/_/g, "-");
  return {
    name,
    title: spec.node.replace(/_/g, " "),
    prompt: promptName,
    artifactFile: `artifacts/${name}.md`,
    task: () => prompt(promptName),
    get: (s) => s[key] ?? undefined,
    update: (value) => ({ [key]: value }) as { [P in K]: NonNullable<PaperToCodeState[K]> },
    editable: (s) => s[key],
    asContext: { part: name, render: (s: PaperToCodeState) => (s[key] ? rest.show(s[key]!) : undefined), ...context },
    ...rest,
  };
}

/** A planning stage answered in JSON: asked with its reply schema, written and shown as Markdown, refined by patch, edited as JSON. */
export function jsonPlanningStage<
  K extends Exclude<PlanningKey, "configYaml">,
  const Setting extends string,
  T extends NonNullable<PaperToCodeState[K]>,
>(
  key: K,
  spec: Pick<PlanningStage<K, Setting>, "node" | "label" | "refine" | "reads" | "checks"> & {
    context: { title: string; rank: number };
    json: JsonArtifact<T>;
    render(value: T): string;
    write?: PlanningStage<K, Setting>["write"];
  },
): PlanningStage<K, Setting> {
  const { json: artifact, render, ...rest } = spec;
  const reply = replyOf(artifact);
  return planningStage<K, Setting>(key, {
    reply: { json: reply, schemaName: artifact.name },
    write: (out, v) => writeArtifact(out, `${key}.md`, render(v as T)),
    show: (v) => render(v as T),
    patch: jsonPatch(artifact as JsonArtifact<Record<string, unknown>>) as PlanningStage<K, Setting>["patch"],
    applyEdit: (value) => ({ [key]: reply.parse(value) }) as { [P in K]: NonNullable<PaperToCodeState[K]> },
    ...rest,
  });
}
