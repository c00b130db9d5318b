import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { writeReportHtml } from "../report/run-page.js";
import { withRun } from "./continue-run.js";

export interface ReportOptions {
  open?: boolean;
  checkpointer?: string;
  config?: string;
}

const isRunFolder = (path: string) => existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, "run.json"));

/** `paper2code report <run>`: report.html of a run folder, or of the folder a run id points to. */
export async function reportCommand(run: string, options: ReportOptions): Promise<number> {
  const outDir = isRunFolder(run) ? run : await withRun(run, options, async (opened) => opened.state.outDir!);
  if (!isRunFolder(outDir)) throw new UserError(`${outDir} has no run.json yet: the run wrote no report to build from`, ExitCode.usage);
  const path = await writeReportHtml(outDir);
  process.stdout.write(`${path}\n`);
  if (options.open) openInBrowser(path);
  return ExitCode.ok;
}

function openInBrowser(path: string) {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(opener, [path], { detached: true, stdio: "ignore" });
  child.on("error", () => process.stderr.write(`could not start ${opener}; open ${path} in a browser\n`));
  child.unref();
}
