/** What the execution stage records in the run's state: the environment, each smoke run, each debugger round. */
import type { Isolation } from "./sandbox.js";
import type { Failure } from "./classify.js";

export interface ExecutionEnvironment {
  isolation: Isolation;
  python: string;
  /** Hash of the requirements.txt last installed (re-installed when the debugger changes it). */
  installedRequirements?: string;
  /** Lines of the repository's files before any debugger edit: the denominator of the share modified. */
  linesBefore: number;
}

export interface SmokeRun {
  round: number;
  command: string[];
  exitCode: number | null;
  timedOut: boolean;
  passed: boolean;
  durationMs: number;
  failure?: Failure;
  /** The run's output, under artifacts/. */
  log: string;
}

export interface DebugRound {
  round: number;
  diagnosis?: string;
  edits: { path: string; added: number; removed: number }[];
  /** Why no edit was applied, when none was. */
  error?: string;
}
