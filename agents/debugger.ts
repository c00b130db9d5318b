import { existsSync, readFileSync } from "node:fs";
import type { RunnableConfig } from "@langchain/core/runnables";
import { createTwoFilesPatch } from "diff";
import { modifiedLines } from "../src/execution/diff-stats.js";
import { modelFor } from "../src/configuration.js";
import { AgentOutputError } from "../src/errors.js";
import { applyEdits, parseEdits } from "../src/execution/edits.js";
import type { DebugRound } from "../src/execution/record.js";
import { askWithRepair, buildMessages, unlessUnusable } from "../src/llm/ask.js";
import { ReplyParseError } from "../src/parsing/json.js";
import { prompt } from "../src/prompts.js";
import { fileBlock, renderFileTable, withinBudget } from "../src/render/markdown.js";
import { contextOf } from "../src/llm/context.js";
import type { GeneratedFile, PaperToCodeState } from "../src/state.js";
import { CODER_CONTEXT } from "./coder.js";
import { saveCodeFile } from "../src/workspace/code-files.js";
import { normalizeFileList, resolveInside, UnsafePathError } from "../src/workspace/paths.js";
import { artifactsDir, readRepoFile, writeArtifact, writeRepoFile } from "../src/workspace/writer.js";

/** Most tokens of source code shown to the debugger; the files in the traceback come first. */
const SOURCE_TOKEN_BUDGET = 24_000;
const OUTPUT_LINES = 120;

/** The traceback's files (innermost first), then config.yaml and requirements.txt, then the other code, within the budget. */
function sourcesFor(state: PaperToCodeState, involved: string[]): string {
  const planned = (state.files ?? []).map((f) => f.path);
  const order = [...new Set([...[...involved].reverse(), "config.yaml", "requirements.txt", ...planned])];
  const blocks = order.flatMap((path) => {
    const text = readRepoFile(state.outDir!, path);
    return text === undefined ? [] : [fileBlock(path, text)];
  });
  return withinBudget(blocks, SOURCE_TOKEN_BUDGET).join("\n\n");
}

interface DebuggerReply {
  diagnosis?: string;
  contents: Map<string, string>;
}

function parseDebuggerReply(text: string, outDir: string): DebuggerReply {
  const edits = parseEdits(text);
  if (edits.length === 0) throw new ReplyParseError("the reply holds no SEARCH/REPLACE edit");
  try {
    const paths = normalizeFileList([...new Set(edits.map((e) => e.path))]);
    const safe = new Map([...new Set(edits.map((e) => e.path))].map((p, i) => [p, paths[i]!]));
    const normalized = edits.map((e) => ({ ...e, path: safe.get(e.path)! }));
    return {
      diagnosis: /^\s*diagnosis:\s*(.+)$/im.exec(text)?.[1]?.trim(),
      contents: applyEdits(normalized, (path) => readRepoFile(outDir, path)),
    };
  } catch (error) {
    if (error instanceof UnsafePathError) throw new ReplyParseError(error.message);
    throw error;
  }
}

/**
 * Debugger: given the failed smoke run (its class, output and the files in the
 * traceback), answers with SEARCH/REPLACE edits; each must match exactly once or
 * the reply is re-asked with the reason. Backups of the files before the round,
 * the first original of every file edited and a unified diff go to artifacts/debug/.
 */
export async function debuggerNode(state: PaperToCodeState, config?: RunnableConfig) {
  const outDir = state.outDir!;
  const smoke = state.smokeRuns.at(-1)!;
  const failure = smoke.failure!;
  const round = state.debugRounds.length + 1;
  const output = readFileSync(`${outDir}/${smoke.log}`, "utf8").split("\n").slice(-OUTPUT_LINES).join("\n");
  const task = prompt("debugger", {
    command: smoke.command.join(" "),
    failureClass: failure.kind,
    summary: failure.summary,
    output,
    files: renderFileTable(state.files ?? []),
    sources: sourcesFor(state, failure.files),
  });
  // The coders' shared context (paper, plan, config.yaml): its prefix is already in the provider's cache.
  const messages = buildMessages(await contextOf(state, CODER_CONTEXT), task);
  const asked = await unlessUnusable(
    askWithRepair(await modelFor(config), messages, { agent: "debugger" }, (text) => parseDebuggerReply(text, outDir)),
  );
  if (asked instanceof AgentOutputError) {
    const record: DebugRound = { round, edits: [], error: asked.message };
    return { debugRounds: [record], calls: asked.calls ?? [], notes: [`debugger round ${round}: no edit applied (${asked.message})`] };
  }
  const { diagnosis, contents } = asked.value;
  const diffs: string[] = [];
  const edits: DebugRound["edits"] = [];
  const code: Record<string, GeneratedFile> = {};
  const planned = new Set((state.files ?? []).map((f) => f.path));
  for (const [path, after] of contents) {
    const before = readRepoFile(outDir, path);
    await writeArtifact(outDir, `debug/round-${round}/before/${path}`, before ?? "");
    if (!existsSync(resolveInside(artifactsDir(outDir), `debug/original/${path}`)))
      await writeArtifact(outDir, `debug/original/${path}`, before ?? "");
    if (planned.has(path)) code[path] = await saveCodeFile(outDir, path, after);
    else await writeRepoFile(outDir, path, after);
    diffs.push(createTwoFilesPatch(`a/${path}`, `b/${path}`, before ?? "", after));
    const { added, removed } = modifiedLines(before ?? "", after);
    edits.push({ path, added, removed });
  }
  await writeArtifact(outDir, `debug/round-${round}/changes.diff`, diffs.join("\n"));
  const record: DebugRound = { round, ...(diagnosis ? { diagnosis } : {}), edits };
  return {
    code,
    debugRounds: [record],
    calls: asked.calls,
    notes: [
      `debugger round ${round} (${failure.kind}): edited ${edits.map((e) => e.path).join(", ")}${diagnosis ? ` — ${diagnosis}` : ""}`,
    ],
  };
}
