import type { DebugRound, ExecutionEnvironment, SmokeRun } from "./execution/record.js";
import type { ExecutionRequest } from "./execution/runner.js";
import { Annotation } from "@langchain/langgraph";
import type { DESIGN_KEYS } from "./workspace/design-fields.js";
import type { Analysis } from "../agents/analyst/schema.js";
import type { Architecture } from "../agents/architect/schema.js";
import type { ConfigArtifact } from "../agents/config-writer/schema.js";
import type { LogicDesign } from "../agents/logic-designer/schema.js";
import type { Plan } from "../agents/planner/schema.js";
import type { CodeCheckReport, CodeIssue } from "./checks/repo.js";
import type { CallRecord } from "./llm/usage.js";
import type { ProvenanceSummary } from "./provenance/check.js";
import type { ReviewRecord } from "./review/types.js";
import type { PaperKind } from "./paper/types.js";

/** What the graph keeps of the paper: its Markdown lives in the blob store, state holds its hash. */
export interface PaperRecord {
  title: string;
  kind: PaperKind;
  source: string;
  /** Tokens of the Markdown the agents read (after any reduction to the budget). */
  tokens: number;
  /** Of those, main text and appendix (absent in runs made before the appendix was sent by default). */
  sent?: { main: number; appendix: number; appendixSections: number };
  headings: string[];
  appendixHeadings?: string[];
  warnings: string[];
  /** What was left out to fit the token budget. */
  dropped: string[];
  markdownSha: string;
  /** The whole ingested paper (sections, appendix, captions) as JSON: what provenance checks read. */
  structureSha?: string;
}

/** A file the coder writes, with what the planning stage decided about it. */
export interface PlannedFile {
  path: string;
  purpose: string;
  logic: string;
  dependsOn: string[];
  /** How it is written (absent in runs planned before files had kinds: all "code"). */
  kind?: "code" | "test" | "support" | "package-marker";
}

/** A written file: its text is in the blob store and in `<out>/repo/`. */
export interface GeneratedFile {
  path: string;
  sha: string;
  bytes: number;
  lines: number;
  note?: string;
}

export type RunStatus = "running" | "complete" | "failed";

/**
 * How the CLI started the run, kept in the thread so that `resume`, `rewind`
 * and `runs` work from the checkpoint alone. No secrets: API keys and PDF
 * passwords stay in the environment.
 */
export interface RunSettings {
  configurable: Record<string, unknown>;
  paperPaths: string[];
  startedAt: string;
}

const merge = <T>(a: Record<string, T>, b: Record<string, T>) => ({ ...a, ...b });
const concat = <T>(a: T[], b: T[]) => a.concat(b);

/** What the planning stage decided, and the code written so far: shared by the run and each file's analysis. */
const designChannels = {
  /** Input: where to write repo/, artifacts/ and run.json (default: <outputRoot>/<thread_id>). */
  outDir: Annotation<string | undefined>,
  paper: Annotation<PaperRecord | undefined>,
  plan: Annotation<Plan | undefined>,
  architecture: Annotation<Architecture | undefined>,
  logic: Annotation<LogicDesign | undefined>,
  /** config.yaml (named apart from every node's RunnableConfig `config`). */
  configYaml: Annotation<ConfigArtifact | undefined>,
  /** The files the coder writes, in implementation order. */
  files: Annotation<PlannedFile[] | undefined>,
  code: Annotation<Record<string, GeneratedFile>>({ reducer: merge, default: () => ({}) }),
};

/** What work adds to a run, whether in the main graph or in a file's analysis subgraph. */
const recordChannels = {
  analyses: Annotation<Record<string, Analysis>>({ reducer: merge, default: () => ({}) }),
  /** Every model call with the usage the provider reported. */
  calls: Annotation<CallRecord[]>({ reducer: concat, default: () => [] }),
  /** Warnings and repairs worth a user's attention, in the order they happened. */
  notes: Annotation<string[]>({ reducer: concat, default: () => [] }),
  /** Every verification round of every artifact. */
  reviews: Annotation<ReviewRecord[]>({ reducer: concat, default: () => [] }),
};

/** The state of one paper-to-repository run; defined once, used by every node. */
export const PaperToCodeAnnotation = Annotation.Root({
  /** Input: the paper: a PDF, LaTeX (.tex, folder, .tar.gz), Markdown, text or PaperCoder JSON; or several (LaTeX wins over PDF). */
  paperPath: Annotation<string | string[] | undefined>,
  /** Input: the paper's text, as an alternative to paperPath (e.g. pasted in Studio). */
  paperText: Annotation<string | undefined>,
  ...designChannels,
  ...recordChannels,
  /** Every static check of the generated code, one per round. */
  codeChecks: Annotation<CodeCheckRound[]>({ reducer: concat, default: () => [] }),
  /** Static-check findings the coder said are not real, with its reason: recorded, never sent back again. */
  disputes: Annotation<CodeDispute[]>({ reducer: concat, default: () => [] }),
  /** Requirements added by code repair (imports the logic design's package list missed). */
  extraRequirements: Annotation<string[]>({ reducer: concat, default: () => [] }),
  status: Annotation<RunStatus | undefined>,
  /** Input: run the generated code's smoke test after coding, and debug it (opt-in: nothing runs without it). */
  execute: Annotation<ExecutionRequest | undefined>,
  execution: Annotation<ExecutionEnvironment | undefined>,
  smokeRuns: Annotation<SmokeRun[]>({ reducer: concat, default: () => [] }),
  debugRounds: Annotation<DebugRound[]>({ reducer: concat, default: () => [] }),
  /** Where the paper states each config.yaml value, summarised at finalize (artifacts/provenance.json has every value). */
  provenance: Annotation<ProvenanceSummary | undefined>,
  /** Set by the CLI: the settings a resumed or rewound run continues with. */
  runSettings: Annotation<RunSettings | undefined>,
});

/** A static-check finding the coder disputed during a repair. */
export type CodeDispute = CodeIssue & { reason: string };

/** One round of static checks of the generated code, and what was done about it. */
export interface CodeCheckRound {
  round: number;
  /** What the checks found, before any requirement was added in this round. */
  found: CodeCheckReport["counts"];
  /** The report after requirements were added (the same when none were). */
  report: CodeCheckReport;
  /** Files sent back to the coder, and requirements added, after this round. */
  repairedFiles: string[];
  addedRequirements: string[];
}

export type PaperToCodeState = typeof PaperToCodeAnnotation.State;
export type PaperToCodeUpdate = typeof PaperToCodeAnnotation.Update;

/** The planning stage's decisions, which every per-file worker reads (DESIGN_KEYS lists them). */
export type Design = { [K in (typeof DESIGN_KEYS)[number]]: NonNullable<PaperToCodeState[K]> };

/**
 * What a per-file worker (analyst, coder) receives through Send: the file it
 * works on and references, not copies. The design is a blob (by hash), so a
 * checkpoint holding N sends holds N hashes rather than N copies of the plan
 * (src/workspace/design.ts writes and reads it).
 */
export type FileTask = Pick<PaperToCodeState, "outDir" | "paper" | "code"> & {
  /** The design's hash in the blob store. */
  designSha: string;
  target: string;
  analysis?: Analysis;
  issues?: CodeIssue[];
  /** Coding: the coders sent together, and the files this one waits for (see src/nodes/coding.ts). */
  batch?: string;
  waitFor?: string[];
  /** How many files wait on this one, in the longest chain (itself included): its calls go first when requests queue. */
  priority?: number;
};

/** The state of one file's analysis subgraph: its task, and what it adds to the run. */
export const FileAnalysisOutput = Annotation.Root(recordChannels);

export const FileAnalysisAnnotation = Annotation.Root({
  ...recordChannels,
  outDir: designChannels.outDir,
  paper: designChannels.paper,
  code: designChannels.code,
  designSha: Annotation<string>,
  target: Annotation<string>,
  priority: Annotation<number | undefined>,
});
export type FileAnalysisState = typeof FileAnalysisAnnotation.State;

/**
 * One file from its analysis to its code, when coders need not wait for every
 * analysis (no analysis review): the task as coding sends it (batch, the files
 * it waits for), its kind, and an analysis it already has (an edited one).
 */
export const FileWorkAnnotation = Annotation.Root({
  ...FileAnalysisAnnotation.spec,
  batch: Annotation<string | undefined>,
  waitFor: Annotation<string[] | undefined>,
  kind: Annotation<PlannedFile["kind"]>,
  analysis: Annotation<Analysis | undefined>,
});
export type FileWorkState = typeof FileWorkAnnotation.State;
export const FileWorkOutput = Annotation.Root({ ...recordChannels, code: designChannels.code });
