import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ExitCode, UserError } from "../errors.js";

export interface RunFolderOptions {
  checkpointer?: string;
  config?: string;
}

const isRunFolder = (path: string) => existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, "run.json"));

/** A run's output folder, from the folder itself or from the run's id (or its first characters) in the checkpoint database. */
export async function runFolderOf(run: string, options: RunFolderOptions): Promise<string> {
  // A folder needs no checkpoint database (nor LangGraph loaded); an id does.
  const outDir = isRunFolder(run)
    ? run
    : await (await import("./continue-run.js")).withRun(run, options, async (opened) => opened.state.outDir!);
  if (!isRunFolder(outDir)) throw new UserError(`${outDir} has no run.json yet: the run has written nothing to read`, ExitCode.usage);
  return outDir;
}
