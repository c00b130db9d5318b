/**
 * Errors a user can act on. The CLI prints `message` on one line and exits
 * with `exitCode`; no stack trace is shown for these.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  badInput: 4,
  model: 5,
  incomplete: 6,
  /** The run paused for a person's review (--review); `resume --approve` or `edit` continues it. */
  awaitingReview: 7,
  /** The run stopped before a call that would have gone over --budget; `resume --budget` continues it. */
  budget: 8,
  /** The repository was written, but its smoke run (--execute, debug) still fails after the debugger's rounds. */
  smokeFailed: 9,
  // Bad input, one code each so scripts can tell them apart.
  emptyFile: 10,
  notAPdf: 11,
  htmlPage: 12,
  passwordRequired: 13,
  passwordWrong: 14,
  noTextLayer: 15,
  noPaperInDirectory: 16,
  pdfLimit: 17,
} as const;

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** A model reply that could not be turned into the artifact an agent needs. */
export class AgentOutputError extends Error {
  constructor(
    readonly agent: string,
    message: string,
    readonly reply?: string,
    /** The calls made before giving up, so their usage is still counted. */
    readonly calls?: import("./llm/usage.js").CallRecord[],
  ) {
    super(`${agent}: ${message}`);
    this.name = "AgentOutputError";
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An abort, as an Error or as the plain object a checkpoint keeps of one. */
export const isAbort = (error: unknown) => {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === "AbortError" || /operation was aborted|aborted by/i.test(String(message ?? ""));
};

/**
 * The error that matters when several tasks of a step failed together: when one
 * task fails, LangGraph aborts the others and reports them all (an AggregateError).
 */
export function rootCause(error: unknown): unknown {
  if (error instanceof AggregateError) {
    const causes = error.errors.map(rootCause);
    return causes.find((e) => !isAbort(e)) ?? causes[0] ?? error;
  }
  return error;
}
