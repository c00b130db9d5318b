export type Severity = "high" | "medium" | "low";

/** One problem found in an artifact, by a deterministic check or by the verifier. */
export interface ReviewIssue {
  severity: Severity;
  location: string;
  problem: string;
  suggestion?: string;
  source: "check" | "verifier";
}

/** A reviewed stage's name (graphs/stages.ts lists them). */
export type ReviewStage = string;

/** One verification round of one artifact, kept in state and in artifacts/reviews/. */
export interface ReviewRecord {
  stage: ReviewStage;
  file?: string;
  round: number;
  passed: boolean;
  /** The verifier's 1-5 score; absent when only the deterministic checks ran (rounds 0). */
  score?: number;
  summary?: string;
  issues: ReviewIssue[];
  /** What followed: accepted (passed), refine (another round), gave-up (bound reached with issues left). */
  action: "accepted" | "refine" | "gave-up";
}

/** A deterministic check's finding. */
export const issue = (severity: Severity, location: string, problem: string, suggestion?: string): ReviewIssue => ({
  severity,
  location,
  problem,
  ...(suggestion ? { suggestion } : {}),
  source: "check",
});

/** What a paused run shows the person reviewing it (the interrupt's value). */
export interface ReviewRequest {
  stage: ReviewStage;
  /** Where the artifact is rendered for reading, relative to the run folder. */
  artifact: string;
  /** The editable form: YAML text for config, a JSON object otherwise (analysis: file -> analysis). */
  current: unknown;
  /** Why the previous decision was refused, when it was. */
  error?: string;
  how: string;
}
