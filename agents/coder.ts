import type { RunnableConfig } from "@langchain/core/runnables";
import { contextFrom, modelFor, type ContextMode } from "../src/configuration.js";
import { publicInterface } from "../src/checks/interface.js";
import { markWritten, transitiveDependencies, waitForDependencies } from "../src/nodes/coding.js";
import { askWithRepair, buildMessages, type AskOptions } from "../src/llm/ask.js";
import { extractCode, type ExtractedCode } from "../src/parsing/code.js";
import { prompt } from "../src/prompts.js";
import { renderAnalysis, renderArchitecture, renderFileTable, renderPlan } from "../src/render/artifacts.js";
import { paperMarkdownOf, withDesign, type Design, type FileTask } from "../src/state.js";
import { getBlob } from "../src/workspace/blobs.js";
import { saveCodeFile } from "./shared.js";

async function fullCode(input: FileTask, paths: string[]): Promise<string> {
  const parts: string[] = [];
  for (const path of paths) {
    const written = input.code?.[path];
    if (!written) continue;
    parts.push(`### ${path}\n\`\`\`\n${await getBlob(input.outDir!, written.sha)}\`\`\``);
  }
  return parts.length > 0 ? parts.join("\n\n") : "(this file depends on no other repository file)";
}

/**
 * What the coder sees of the rest of the repository. Scoped (the default): the
 * full code of the files this one imports, and the public interface (classes,
 * functions, signatures) of the files those depend on in turn. Full (the
 * reference behaviour): every earlier file of the implementation order in full.
 */
export async function repositoryContext(input: FileTask & Design, mode: ContextMode): Promise<{ code: string; interfaces: string }> {
  const file = input.files.find((f) => f.path === input.target)!;
  if (mode === "full") {
    const earlier = input.files.slice(0, input.files.indexOf(file)).map((f) => f.path);
    return { code: await fullCode(input, earlier), interfaces: "(the code of every earlier file is above)" };
  }
  const indirect = transitiveDependencies(input.files, input.target).filter((p) => !file.dependsOn.includes(p));
  const interfaces: string[] = [];
  for (const path of indirect) {
    const written = input.code?.[path];
    if (written) interfaces.push(`### ${path}\n\`\`\`python\n${await publicInterface(await getBlob(input.outDir!, written.sha))}\n\`\`\``);
  }
  return { code: await fullCode(input, file.dependsOn), interfaces: interfaces.join("\n\n") || "(none)" };
}

const saveCode = (input: FileTask, code: string, note: string | undefined) => saveCodeFile(input.outDir!, input.target, code, note);

/** A file cut off at the output token limit is continued, never written truncated. */
const codeReply: AskOptions<ExtractedCode> = { continueOnLength: true, toleratedOf: (v) => v.note };

/** Coder: writes one file, given the paper, the plan, its analysis and the code it depends on. */
export async function coderNode(fileTask: FileTask, config?: RunnableConfig) {
  const written = await waitForDependencies(fileTask, config?.signal);
  const input = await withDesign({ ...fileTask, code: { ...fileTask.code, ...written } });
  const path = input.target;
  const file = input.files!.find((f) => f.path === path)!;
  const paperMarkdown = await paperMarkdownOf(input);
  const context = await repositoryContext(input, contextFrom(config));
  const task = prompt("coder", {
    path,
    plan: renderPlan(input.plan!),
    architecture: renderArchitecture(input.architecture!),
    files: renderFileTable(input.files!),
    config: input.config!.yaml,
    conventions: input.logic!.sharedConventions,
    logic: file.logic || "(no logic given)",
    analysis: input.analysis ? renderAnalysis(path, input.analysis) : "(no analysis)",
    dependencies: context.code,
    interfaces: context.interfaces,
    packages: input.logic!.requiredPackages.join(", ") || "(none)",
  });
  const asked = await askWithRepair(modelFor(config), buildMessages(paperMarkdown, task), { agent: "coder", file: path }, (text) => extractCode(text, path), codeReply);
  const { code, note } = asked.value;
  const generated = await saveCode(input, code, note);
  await markWritten(input, generated);
  return {
    code: { [path]: generated },
    calls: asked.calls,
    notes: [...asked.repairs.map((r) => `coder re-asked for ${path}: ${r}`), ...(note ? [`${path}: ${note}`] : [])],
  };
}

/** Coder, repairing: rewrites one file so the static checks' problems in it are gone. */
export async function repairCodeNode(fileTask: FileTask, config?: RunnableConfig) {
  const input = await withDesign(fileTask);
  const path = input.target;
  const file = input.files!.find((f) => f.path === path)!;
  const current = await getBlob(input.outDir!, input.code![path]!.sha);
  const task = prompt("repair-code", {
    path,
    problems: (input.issues ?? []).map((i) => `- line ${i.line ?? "?"}: [${i.check}] ${i.message}`).join("\n") || "(none)",
    code: current,
    config: input.config!.yaml,
    files: renderFileTable(input.files!),
    dependencies: await fullCode(input, file.dependsOn),
    packages: input.logic!.requiredPackages.join(", ") || "(none)",
  });
  const messages = buildMessages(await paperMarkdownOf(input), task);
  const asked = await askWithRepair(modelFor(config), messages, { agent: "coder", file: path }, (text) => extractCode(text, path), codeReply);
  const generated = await saveCode(input, asked.value.code, asked.value.note);
  return {
    code: { [path]: generated },
    calls: asked.calls,
    notes: [`${path}: repaired (${(input.issues ?? []).map((i) => i.check).join(", ")})`],
  };
}
