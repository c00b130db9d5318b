export type Severity = "high" | "medium" | "low";

/** One problem found in an artifact, by a deterministic check or by the verifier. */
export interface ReviewIssue {
  severity: Severity;
  location: string;
  problem: string;
  suggestion?: string;
  source: "check" | "verifier";
}

export type ReviewStage = "plan" | "architecture" | "logic" | "config" | "analysis";

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
