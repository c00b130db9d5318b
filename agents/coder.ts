import type { RunnableConfig } from "@langchain/core/runnables";
import { modelFor, settingsOf, type ContextMode } from "../src/configuration.js";
import { publicInterface } from "../src/checks/interface.js";
import { markWritten, transitiveDependencies, waitForDependencies } from "../src/workspace/written-files.js";
import { askWithRepair, buildMessages, type AskOptions } from "../src/llm/ask.js";
import type { CodeIssue } from "../src/checks/repo.js";
import { extractCode, type ExtractedCode } from "../src/parsing/code.js";
import { prompt } from "../src/prompts.js";
import { contextOf, type ContextSource } from "../src/llm/context.js";
import { configStage } from "./config-writer/stage.js";
import { renderAnalysis } from "./analyst/render.js";
import { fileBlock, renderFileTable } from "../src/render/markdown.js";
import { type Design, type FileTask } from "../src/state.js";
import { withDesign } from "../src/workspace/design.js";
import { getBlob } from "../src/workspace/blobs.js";
import { tokensWithin } from "../src/tokens.js";
import { saveCodeFile } from "../src/workspace/code-files.js";

async function fullCode(input: FileTask, paths: string[]): Promise<string> {
  const parts: string[] = [];
  for (const path of paths) {
    const written = input.code?.[path];
    if (!written) continue;
    parts.push(fileBlock(path, await getBlob(input.outDir!, written.sha)));
  }
  return parts.length > 0 ? parts.join("\n\n") : "(this file depends on no other repository file)";
}

/** A file this one imports is shown in full up to this many tokens; a longer one by its interface. */
export const FULL_DEPENDENCY_TOKENS = 1500;

/**
 * What the coder sees of the rest of the repository. Scoped (the default): the
 * files this one imports, each in full when short and by its public interface
 * (classes, functions, signatures, first docstring lines, instance attributes)
 * when long, and the interfaces of the files those depend on in turn. Full (the
 * reference behaviour): every earlier file of the implementation order in full.
 */
export async function repositoryContext(input: FileTask & Design, mode: ContextMode): Promise<{ code: string; interfaces: string }> {
  const file = input.files.find((f) => f.path === input.target)!;
  if (mode === "full") {
    const earlier = input.files.slice(0, input.files.indexOf(file)).map((f) => f.path);
    return { code: await fullCode(input, earlier), interfaces: "(the code of every earlier file is above)" };
  }
  const shown: string[] = [];
  for (const path of file.dependsOn) {
    const written = input.code?.[path];
    if (!written) continue;
    const source = await getBlob(input.outDir!, written.sha);
    shown.push(
      tokensWithin(source, FULL_DEPENDENCY_TOKENS)
        ? fileBlock(path, source)
        : fileBlock(`${path} (its interface; the file is ${written.lines} lines)`, `${await publicInterface(source)}\n`, "python"),
    );
  }
  const indirect = transitiveDependencies(input.files, input.target).filter((p) => !file.dependsOn.includes(p));
  const interfaces: string[] = [];
  for (const path of indirect) {
    const written = input.code?.[path];
    if (written) interfaces.push(fileBlock(path, `${await publicInterface(await getBlob(input.outDir!, written.sha))}\n`, "python"));
  }
  return { code: shown.join("\n\n") || "(this file depends on no other repository file)", interfaces: interfaces.join("\n\n") || "(none)" };
}

/**
 * What a coder (writing or repairing) reads besides the paper: config.yaml. Its
 * specification is its file's analysis (made from the plan), in its task with
 * the rest of its own material; the plan itself would be read again by every coder for little.
 */
export const CODER_CONTEXT: ContextSource[] = [configStage.asContext!];

const saveCode = (input: FileTask, code: string, note: string | undefined) => saveCodeFile(input.outDir!, input.target, code, note);

/** A file cut off at the output token limit is continued, never written truncated. */
const codeReply: AskOptions<ExtractedCode> = { continueOnLength: true, toleratedOf: (v) => v.note };

/** Coder: writes one file, given the paper, the plan, its analysis and the code it depends on. */
export async function coderNode(fileTask: FileTask, config?: RunnableConfig) {
  const written = await waitForDependencies(fileTask, config?.signal);
  const input = await withDesign({ ...fileTask, code: { ...fileTask.code, ...written } });
  const path = input.target;
  const file = input.files!.find((f) => f.path === path)!;
  const context = await repositoryContext(input, settingsOf(config).context);
  const task = prompt("coder", {
    path,
    files: renderFileTable(input.files!),
    conventions: input.logic!.sharedConventions,
    logic: file.logic || "(no logic given)",
    analysis: input.analysis
      ? renderAnalysis(path, input.analysis)
      : "(no separate analysis: for a test or support file the logic above is the specification)",
    dependencies: context.code,
    interfaces: context.interfaces,
    packages: input.logic!.requiredPackages.join(", ") || "(none)",
  });
  const asked = await askWithRepair(
    await modelFor(config),
    buildMessages(await contextOf(input, CODER_CONTEXT), task),
    { agent: "coder", file: path, ...(input.priority !== undefined ? { priority: input.priority } : {}) },
    (text) => extractCode(text, path),
    codeReply,
  );
  const { code, note } = asked.value;
  const generated = await saveCode(input, code, note);
  await markWritten(input, generated);
  return {
    code: { [path]: generated },
    calls: asked.calls,
    notes: [...asked.reasks.map((r) => `coder re-asked for ${path}: ${r}`), ...(note ? [`${path}: ${note}`] : [])],
  };
}

/** A finding the coder says is not real: `NOT A PROBLEM: <problem> -- <why>`, one per line, outside the code block. */
export function disputesIn(reply: string, issues: CodeIssue[]): { issue: CodeIssue; reason: string }[] {
  const outside = reply.replace(/```[\s\S]*?(```|$)/g, "");
  const disputes: { issue: CodeIssue; reason: string }[] = [];
  for (const m of outside.matchAll(/^\s*[-*]?\s*NOT A PROBLEM:\s*(.+?)\s*(?:--|—|–)\s*(.+)$/gim)) {
    const claim = m[1]!
      .replace(/^line \S+:\s*/, "")
      .replace(/^\[[\w-]+\]\s*/, "")
      .trim();
    // Models quote a problem loosely: the listed problem sharing most of the claim's words.
    const words = (t: string) => new Set(t.toLowerCase().match(/[a-z0-9_.]+/g) ?? []);
    const said = words(claim);
    const overlap = (i: CodeIssue) => {
      const listed = words(i.message);
      return [...listed].filter((w) => said.has(w)).length / Math.max(1, listed.size);
    };
    const issue = issues.filter((i) => overlap(i) >= 0.6).sort((a, b) => overlap(b) - overlap(a))[0];
    if (issue && !disputes.some((d) => d.issue === issue)) disputes.push({ issue, reason: m[2]!.trim() });
  }
  return disputes;
}

/** Coder, repairing: rewrites one file so the static checks' real problems in it are gone; disputed findings are recorded. */
export async function repairCodeNode(fileTask: FileTask, config?: RunnableConfig) {
  const input = await withDesign(fileTask);
  const path = input.target;
  const file = input.files!.find((f) => f.path === path)!;
  const current = await getBlob(input.outDir!, input.code![path]!.sha);
  const task = prompt("repair-code", {
    path,
    problems: (input.issues ?? []).map((i) => `- line ${i.line ?? "?"}: [${i.check}] ${i.message}`).join("\n") || "(none)",
    code: current,
    files: renderFileTable(input.files!),
    dependencies: await fullCode(input, file.dependsOn),
    packages: input.logic!.requiredPackages.join(", ") || "(none)",
  });
  const messages = buildMessages(await contextOf(input, CODER_CONTEXT), task);
  const issues = input.issues ?? [];
  const parse = (text: string) => ({ ...extractCode(text, path), disputes: disputesIn(text, issues) });
  const asked = await askWithRepair(
    await modelFor(config),
    messages,
    { agent: "coder", file: path, ...(input.priority !== undefined ? { priority: input.priority } : {}) },
    parse,
    {
      ...codeReply,
      toleratedOf: (v) => v.note,
    },
  );
  const generated = await saveCode(input, asked.value.code, asked.value.note);
  const disputes = asked.value.disputes.map(({ issue, reason }) => ({ ...issue, reason }));
  const fixed = issues.filter((i) => !disputes.some((d) => d.message === i.message));
  return {
    code: { [path]: generated },
    calls: asked.calls,
    disputes,
    notes: [
      ...(fixed.length ? [`${path}: repaired (${fixed.map((i) => i.check).join(", ")})`] : []),
      ...disputes.map((d) => `${path}: the coder disputes [${d.check}] ${d.message}: ${d.reason}`),
    ],
  };
}
