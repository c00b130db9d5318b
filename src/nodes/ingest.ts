import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import type { RunnableConfig } from "@langchain/core/runnables";
import { readConfiguration } from "../configuration.js";
import { ExitCode, UserError } from "../errors.js";
import { loadPaper, parsePaperText } from "../paper/load.js";
import { renderPaperMarkdown } from "../paper/render.js";
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
  else if (state.paperPath) paper = await loadPaper(state.paperPath);
  else throw new UserError("no paper given: set paperPath (a file) or paperText", ExitCode.usage);

  const markdown = renderPaperMarkdown(paper);
  const markdownSha = await putBlob(outDir, markdown);
  await writeArtifact(outDir, "paper.md", markdown);
  await writeArtifact(outDir, "paper.json", `${JSON.stringify(paper, null, 2)}\n`);
  const record: PaperRecord = {
    title: paper.title,
    kind: paper.source.kind,
    source: paper.source.path,
    tokens: paper.tokens.total,
    headings: paper.sections.map((s) => s.heading),
    warnings: paper.warnings,
    markdownSha,
  };
  return { outDir, paper: record, status: "running" as const, notes: paper.warnings.map((w) => `paper: ${w}`) };
}
