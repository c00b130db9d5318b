import type { RunnableConfig } from "@langchain/core/runnables";
import { modelFor } from "../src/configuration.js";
import { askWithRepair, buildMessages } from "../src/llm/ask.js";
import { extractCode } from "../src/parsing/code.js";
import { prompt } from "../src/prompts.js";
import { renderAnalysis, renderArchitecture, renderFileTable, renderPlan } from "../src/render/artifacts.js";
import { paperMarkdownOf, type FileTask, type GeneratedFile } from "../src/state.js";
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

/** Coder: writes one file, given the paper, the plan, its analysis and the code it depends on. */
export async function coderNode(input: FileTask, config?: RunnableConfig) {
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
  const sha = await putBlob(input.outDir!, code);
  await writeRepoFile(input.outDir!, path, code);
  const generated: GeneratedFile = {
    path,
    sha,
    bytes: Buffer.byteLength(code),
    lines: code.split("\n").length - 1,
    ...(note ? { note } : {}),
  };
  return {
    code: { [path]: generated },
    calls: asked.calls,
    notes: [...asked.repairs.map((r) => `coder re-asked for ${path}: ${r}`), ...(note ? [`${path}: ${note}`] : [])],
  };
}
