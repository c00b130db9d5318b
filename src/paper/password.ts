/*
 * The password of an encrypted PDF: given to this process (--password), kept in
 * memory only; never in the checkpointed configuration, nor in the environment
 * of the processes a run starts (smoke runs). A LangGraph server reads it from
 * PAPER2CODE_PDF_PASSWORD in its own environment.
 */
let given: string | undefined;

export function usePdfPassword(password: string | undefined) {
  if (password) given = password;
}

export function pdfPassword(): string | undefined {
  return given ?? process.env.PAPER2CODE_PDF_PASSWORD;
}
