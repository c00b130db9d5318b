import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { compareMarkdown, compareRuns } from "../compare/render.js";
import { readComparedRun } from "../compare/runs.js";
import { ExitCode, UserError } from "../errors.js";
import { markdownHtml, page } from "../report/html.js";
import { writeFileAtomic } from "../workspace/writer.js";
import { openInBrowser } from "./report.js";
import { runFolderOf, type RunFolderOptions } from "./run-folder.js";

export interface CompareOptions extends RunFolderOptions {
  html?: string;
  open?: boolean;
  json?: boolean;
  evals?: string;
}

/** `paper2code compare <run> <run> [...]`: what differs between runs, the first one the baseline. */
export async function compareCommand(runs: string[], options: CompareOptions): Promise<number> {
  if (runs.length < 2) throw new UserError("compare needs two runs or more", ExitCode.usage);
  const folders = [];
  for (const run of runs) folders.push(resolve(await runFolderOf(run, options)));
  const evalDirs = [resolve(options.evals ?? "evals")].filter((d) => existsSync(d));
  // Runs are named by their folder; folders of one name get their position.
  const names = folders.map((f) => basename(f));
  const compared = folders.map((f, i) =>
    readComparedRun(f, names.filter((x) => x === names[i]).length > 1 ? `${names[i]}#${i + 1}` : names[i]!, evalDirs),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(compareRuns(compared), null, 2)}\n`);
  } else {
    process.stdout.write(compareMarkdown(compared));
  }
  if (options.html) {
    const html = page(`paper2code: ${names.join(" vs ")}`, `<main>${markdownHtml(compareMarkdown(compared))}</main>`);
    await writeFileAtomic(resolve(options.html), html);
    process.stderr.write(`comparison: ${resolve(options.html)}\n`);
    if (options.open) openInBrowser(resolve(options.html));
  }
  return ExitCode.ok;
}
