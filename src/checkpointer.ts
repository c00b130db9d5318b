import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { ExitCode, UserError } from "./errors.js";

/** Where paper2code keeps its run database unless told otherwise. */
export function paper2codeHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PAPER2CODE_HOME ?? join(homedir(), ".paper2code"));
}

export function defaultCheckpointerLocation(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAPER2CODE_CHECKPOINTER ?? join(paper2codeHome(env), "checkpoints.sqlite");
}

/** Expand a leading `~/` (settings files are not shell-expanded). */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

/** Open the checkpointer named by `location`: a SQLite file path (the embedded default). */
export function openCheckpointer(location: string): BaseCheckpointSaver {
  if (/^postgres(ql)?:\/\//.test(location)) {
    throw new UserError("PostgreSQL checkpointers are not supported by this version; use a SQLite file path", ExitCode.usage);
  }
  const path = resolve(expandHome(location));
  try {
    mkdirSync(dirname(path), { recursive: true });
    return SqliteSaver.fromConnString(path);
  } catch (error) {
    throw new UserError(`cannot open the checkpoint database ${path}: ${(error as Error).message}`, ExitCode.usage);
  }
}
