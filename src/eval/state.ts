import { Annotation } from "@langchain/langgraph";
import type { CallRecord } from "../llm/usage.js";
import type { PaperRecord } from "../state.js";
import type { RubricNode } from "./rubric.js";
import type { RepositoryJudgment } from "../../agents/judge/schema.js";

export type { RepositoryJudgment } from "../../agents/judge/schema.js";

export type EvalMode = "reference-free" | "reference-based" | "rubric";
export const EVAL_MODES: readonly EvalMode[] = ["reference-free", "reference-based", "rubric"];

/** A repository file the judges read: its text is in the blob store, by hash. */
export interface StoredFile {
  path: string;
  tokens: number;
  sha: string;
}

export interface StoredRepository {
  root: string;
  files: StoredFile[];
  /** Binary, hidden or oversized files that were not read. */
  skipped: string[];
}

/** One component the paper requires, as one judge sample saw it in the repository. */
export type ComponentCritique = RepositoryJudgment["components"][number];
export type Severity = ComponentCritique["severity"];

/** One independent sample of a repository-level judgment: valid with its judgment, or invalid with why. */
export interface RepositorySample {
  mode: "reference-free" | "reference-based";
  sample: number;
  valid: boolean;
  judgment?: RepositoryJudgment;
  /** Why no valid judgment came (after a re-ask). */
  problem?: string;
  /** Replies that could not be used (each re-ask follows one; an invalid sample adds its last). */
  invalidReplies: number;
  /** Files the judge was shown, and those that did not fit its token budget. */
  shown: string[];
  omitted: string[];
}

/** The judgment of one rubric leaf. */
export interface LeafJudgment {
  id: string;
  score: 0 | 1;
  valid: boolean;
  explanation: string;
  invalidReplies: number;
  /** The submission files the judge read for this leaf, most relevant first. */
  files: { path: string; tokens: number; truncated?: boolean }[];
}

/** Which gold files the reference-based judge reads: all of them, the user's list, or the judge's choice. */
export interface ReferenceSelection {
  by: "all" | "user" | "judge" | "fallback";
  files: string[];
  reason?: string;
  invalidReplies: number;
}

const concat = <T>(a: T[], b: T[]) => a.concat(b);
const merge = <T>(a: Record<string, T>, b: Record<string, T>) => ({ ...a, ...b });

/** The state of one evaluation, defined once: what the CLI and Studio give, what the judges add. */
export const EvalAnnotation = Annotation.Root({
  /** Input: the generated repository (a folder, or a paper2code run folder: its repo/ is read). */
  repoPath: Annotation<string>,
  /** Input: the paper (PDF, LaTeX, Markdown...), or several files of it. */
  paperPath: Annotation<string | string[]>,
  /** Input: where eval.json, eval.md and the judges' bookkeeping go. */
  outDir: Annotation<string>,
  /** Input: the authors' repository, for the reference-based judgment. */
  referencePath: Annotation<string | undefined>,
  /** Input: gold files to read (paths inside referencePath) instead of letting the judge choose. */
  referenceFiles: Annotation<string[] | undefined>,
  /** Input: a PaperBench rubric.json, for rubric grading. */
  rubricPath: Annotation<string | undefined>,
  /** Input: also judge without a reference when a reference or rubric is given (it is the default when neither is). */
  referenceFree: Annotation<boolean | undefined>,

  modes: Annotation<EvalMode[] | undefined>,
  paper: Annotation<PaperRecord | undefined>,
  submission: Annotation<StoredRepository | undefined>,
  reference: Annotation<StoredRepository | undefined>,
  rubric: Annotation<RubricNode | undefined>,
  referenceSelection: Annotation<ReferenceSelection | undefined>,
  samples: Annotation<RepositorySample[]>({ reducer: concat, default: () => [] }),
  leaves: Annotation<Record<string, LeafJudgment>>({ reducer: merge, default: () => ({}) }),
  calls: Annotation<CallRecord[]>({ reducer: concat, default: () => [] }),
  notes: Annotation<string[]>({ reducer: concat, default: () => [] }),
  /** Set by the last node: where the report was written. */
  reportPath: Annotation<string | undefined>,
});

export type EvalState = typeof EvalAnnotation.State;
export type EvalUpdate = typeof EvalAnnotation.Update;

/**
 * The evaluation's settings: what Studio shows and the CLI fills from flags.
 * The judge is its own model, chosen apart from the generator's.
 */
export const EvalConfigurationAnnotation = Annotation.Root({
  /** The judge: `provider:name` (e.g. openai:o3-mini, anthropic:claude-sonnet-4-5). Falls back to PAPER2CODE_JUDGE_MODEL. */
  judgeModel: Annotation<string | undefined>,
  /** Base URL of an OpenAI-compatible server for the judge. */
  judgeBaseUrl: Annotation<string | undefined>,
  /** The judge's temperature for non-reasoning models (default 1: samples are meant to differ). */
  temperature: Annotation<number | undefined>,
  /** Effort for reasoning judges (default medium). */
  reasoningEffort: Annotation<"minimal" | "low" | "medium" | "high" | undefined>,
  /** Client retries on 429, 5xx and connection errors (default 4). */
  maxRetries: Annotation<number | undefined>,
  /** Per-request timeout in seconds (default 600). */
  timeoutSeconds: Annotation<number | undefined>,
  /** Cap on output tokens per judgment. */
  maxOutputTokens: Annotation<number | undefined>,
  /** `auto`, `native` (JSON-schema mode) or `text`. */
  structuredOutput: Annotation<"auto" | "native" | "text" | undefined>,
  /** Judgments in flight at once (default 4). */
  concurrency: Annotation<number | undefined>,
  /** Independent repository-level judgments averaged per mode (default 8). */
  samples: Annotation<number | undefined>,
  /** Rubric: keep only the Code Development leaves (PaperBench Code-Dev). */
  codeDev: Annotation<boolean | undefined>,
  /** Most tokens of repository code in one repository-level judgment (default 60000); gold code gets as much. */
  codeTokenBudget: Annotation<number | undefined>,
  /** Most tokens of submission files shown for one rubric leaf (default 12000). */
  leafTokenBudget: Annotation<number | undefined>,
  /** Most tokens of paper text sent to the judge (default 120000). */
  paperTokenBudget: Annotation<number | undefined>,
  /** Most US dollars the evaluation may spend; it stops, resumable, before a call that would go over. */
  budgetUsd: Annotation<number | undefined>,
  /** Requests per minute to the judge, at most. */
  rpm: Annotation<number | undefined>,
  /** Tokens per minute to the judge, at most. */
  tpm: Annotation<number | undefined>,
  /** Folder where every judge reply is kept as it arrives (the CLI uses <out>/.paper2code/calls). */
  callJournal: Annotation<string | undefined>,
});

export type EvalConfiguration = typeof EvalConfigurationAnnotation.State;

export const EVAL_DEFAULTS = {
  samples: 8,
  codeTokenBudget: 60_000,
  leafTokenBudget: 12_000,
  paperTokenBudget: 120_000,
  temperature: 1,
} as const;

/** One repository-level judgment the eval graph sends (Send) to the judge. */
export type RepositoryTask = Pick<EvalState, "outDir" | "paper" | "submission"> &
  Partial<Pick<EvalState, "reference" | "referenceSelection">> & {
    mode: RepositorySample["mode"];
    sample: number;
    samples: number;
  };

/** One rubric leaf the eval graph sends to the judge. */
export type LeafTask = Pick<EvalState, "outDir" | "paper" | "submission"> & {
  leaf: { id: string; requirements: string; category: string };
  /** The requirements of the leaf's ancestors, root first. */
  context: string[];
};
