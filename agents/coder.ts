import type { RunnableConfig } from "@langchain/core/runnables";
import { modelFor } from "../src/configuration.js";
import { askWithRepair, buildMessages } from "../src/llm/ask.js";
import { extractCode } from "../src/parsing/code.js";
import { prompt } from "../src/prompts.js";
import { renderAnalysis, renderArchitecture, renderFileTable, renderPlan } from "../src/render/artifacts.js";
import { paperMarkdownOf, withDesign, type FileTask, type GeneratedFile } from "../src/state.js";
import { getBlob, putBlob } from "../src/workspace/blobs.js";
import { writeRepoFile } from "../src/workspace/writer.js";

/**
 * The coder's view of the repository: the full code of the files this one
 * depends on (already written, by the schedule), not every earlier file.
 */
async function dependencyCode(input: FileTask, dependsOn: string[]): Promise<string> {
  const parts: string[] = [];
  for (const dep of dependsOn) {
    const written = input.code?.[dep];
    if (!written) continue;
    parts.push(`### ${dep}\n\`\`\`\n${await getBlob(input.outDir!, written.sha)}\`\`\``);
  }
  return parts.length > 0 ? parts.join("\n\n") : "(this file depends on no other repository file)";
}

async function saveCode(input: FileTask, code: string, note: string | undefined): Promise<GeneratedFile> {
  const sha = await putBlob(input.outDir!, code);
  await writeRepoFile(input.outDir!, input.target, code);
  return {
    path: input.target,
    sha,
    bytes: Buffer.byteLength(code),
    lines: code.split("\n").length - 1,
    ...(note ? { note } : {}),
  };
}

/** Coder: writes one file, given the paper, the plan, its analysis and the code it depends on. */
export async function coderNode(fileTask: FileTask, config?: RunnableConfig) {
  const input = await withDesign(fileTask);
  const path = input.target;
  const file = input.files!.find((f) => f.path === path)!;
  const paperMarkdown = await paperMarkdownOf(input);
  const task = prompt("coder", {
    path,
    plan: renderPlan(input.plan!),
    architecture: renderArchitecture(input.architecture!),
    files: renderFileTable(input.files!),
    config: input.config!.yaml,
    conventions: input.logic!.sharedConventions,
    logic: file.logic || "(no logic given)",
    analysis: input.analysis ? renderAnalysis(path, input.analysis) : "(no analysis)",
    dependencies: await dependencyCode(input, file.dependsOn),
    packages: input.logic!.requiredPackages.join(", ") || "(none)",
  });
  const asked = await askWithRepair(modelFor(config), buildMessages(paperMarkdown, task), { agent: "coder", file: path }, (text) =>
    extractCode(text, path),
  );
  const { code, note } = asked.value;
  const generated = await saveCode(input, code, note);
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
    dependencies: await dependencyCode(input, file.dependsOn),
    packages: input.logic!.requiredPackages.join(", ") || "(none)",
  });
  const asked = await askWithRepair(modelFor(config), buildMessages(await paperMarkdownOf(input), task), { agent: "coder", file: path }, (text) =>
    extractCode(text, path),
  );
  const generated = await saveCode(input, asked.value.code, asked.value.note);
  return {
    code: { [path]: generated },
    calls: asked.calls,
    notes: [`${path}: repaired (${(input.issues ?? []).map((i) => i.check).join(", ")})`],
  };
}
