import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration, settingsOf } from "../configuration.js";
import { describeFit, fitPaperToBudget } from "../paper/budget.js";
import { ExitCode, UserError } from "../errors.js";
import { loadPaper, parsePaperText } from "../paper/load.js";
import { pdfPassword } from "../paper/password.js";
import type { Paper } from "../paper/types.js";
import type { PaperToCodeState, PaperRecord } from "../state.js";
import { putBlob } from "../workspace/blobs.js";
import { writeArtifact } from "../workspace/writer.js";

export function defaultOutDir(config?: RunnableConfig): string {
  const c = readConfiguration(config);
  return resolve(join(c.outputRoot ?? "runs", c.thread_id ?? randomUUID()));
}

/** Load the paper, store its Markdown rendering, and fix the run's output folder. */
export async function ingestNode(state: PaperToCodeState, config?: RunnableConfig) {
  const outDir = resolve(state.outDir ?? defaultOutDir(config));
  let paper;
  if (state.paperText?.trim()) paper = parsePaperText(state.paperText);
  else if (state.paperPath) paper = await loadPaper(state.paperPath, { password: pdfPassword() });
  else throw new UserError("no paper given: set paperPath (a file or folder) or paperText", ExitCode.usage);

  const { record, markdown } = await storePaper(
    outDir,
    paper,
    settingsOf(config).paperTokenBudget,
    readConfiguration(config).includeAppendix ?? true,
  );
  await writeArtifact(outDir, "paper.md", markdown);
  await writeArtifact(outDir, "paper.json", `${JSON.stringify(paper, null, 2)}\n`);
  return { outDir, paper: record, status: "running" as const, notes: record.warnings.map((w) => `paper: ${w}`) };
}

/** Fit the paper to the token budget and keep its Markdown and its structure in the blob store; state holds the record. */
export async function storePaper(
  outDir: string,
  paper: Paper,
  budget: number,
  includeAppendix: boolean,
): Promise<{ record: PaperRecord; markdown: string }> {
  const fitted = fitPaperToBudget(paper, budget, { includeAppendix });
  const record: PaperRecord = {
    title: paper.title,
    kind: paper.source.kind,
    source: paper.source.path,
    tokens: fitted.tokens,
    sent: fitted.sent,
    headings: paper.sections.map((s) => s.heading),
    appendixHeadings: includeAppendix ? paper.appendix.map((s) => s.heading) : [],
    warnings: [...paper.warnings, ...describeFit(paper, fitted, budget)],
    dropped: fitted.dropped,
    markdownSha: await putBlob(outDir, fitted.markdown),
    structureSha: await putBlob(outDir, JSON.stringify(paper)),
  };
  return { record, markdown: fitted.markdown };
}
