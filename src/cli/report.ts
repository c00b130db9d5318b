import { spawn } from "node:child_process";
import { ExitCode } from "../errors.js";
import { writeReportHtml } from "../report/run-page.js";
import { runFolderOf, type RunFolderOptions } from "./run-folder.js";

export interface ReportOptions extends RunFolderOptions {
  open?: boolean;
}

/** `paper2code report <run>`: report.html of a run folder, or of the folder a run id points to. */
export async function reportCommand(run: string, options: ReportOptions): Promise<number> {
  const path = await writeReportHtml(await runFolderOf(run, options));
  process.stdout.write(`${path}\n`);
  if (options.open) openInBrowser(path);
  return ExitCode.ok;
}

export function openInBrowser(path: string) {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(opener, [path], { detached: true, stdio: "ignore" });
  child.on("error", () => process.stderr.write(`could not start ${opener}; open ${path} in a browser\n`));
  child.unref();
}
