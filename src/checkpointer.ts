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

/** --checkpointer, else PAPER2CODE_CHECKPOINTER (a path or a postgres:// URL), else the SQLite file under PAPER2CODE_HOME. */
export function defaultCheckpointerLocation(env: NodeJS.ProcessEnv = process.env): string {
  return env.PAPER2CODE_CHECKPOINTER ?? join(paper2codeHome(env), "checkpoints.sqlite");
}

/** The database a command uses: its --checkpointer, else the settings file's, else the default. */
export function checkpointerLocation(flag: string | undefined, file: { checkpointer?: string }) {
  const given = flag ?? file.checkpointer;
  return { location: given ?? defaultCheckpointerLocation(), given };
}

/** Expand a leading `~/` (settings files are not shell-expanded). */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//.test(location);

/** A location fit to print: a database URL without its password. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}

export interface Checkpointer {
  saver: BaseCheckpointSaver;
  location: string;
  /** Every run (thread) in the database, most recently active first. */
  threads(): Promise<string[]>;
  close(): Promise<void>;
}

/** Open the checkpointer named by `location`: a SQLite file path (the embedded default) or a PostgreSQL URL. */
export async function openCheckpointer(location: string): Promise<Checkpointer> {
  if (isPostgresUrl(location)) return openPostgres(location);
  const path = resolve(expandHome(location));
  let saver: SqliteSaver;
  try {
    mkdirSync(dirname(path), { recursive: true });
    saver = SqliteSaver.fromConnString(path);
  } catch (error) {
    throw new UserError(`cannot open the checkpoint database ${path}: ${(error as Error).message}`, ExitCode.usage);
  }
  return {
    saver,
    location: path,
    async threads() {
      // The saver creates its tables lazily; a fresh database has none yet.
      const exists = saver.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkpoints'").get();
      if (!exists) return [];
      const rows = saver.db
        .prepare(
          "SELECT thread_id, MAX(checkpoint_id) AS last FROM checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id ORDER BY last DESC",
        )
        .all() as { thread_id: string }[];
      return rows.map((r) => r.thread_id);
    },
    async close() {
      saver.db.close();
    },
  };
}

async function openPostgres(url: string): Promise<Checkpointer> {
  const { PostgresSaver } = await import("@langchain/langgraph-checkpoint-postgres");
  const saver = PostgresSaver.fromConnString(url);
  try {
    await saver.setup();
  } catch (error) {
    await saver.end().catch(() => {});
    throw new UserError(`cannot open the checkpoint database ${describeLocation(url)}: ${(error as Error).message}`, ExitCode.usage);
  }
  // The saver keeps its pool private; listing threads is one query on its own table.
  const internals = saver as unknown as {
    pool: { query(sql: string): Promise<{ rows: { thread_id: string }[] }> };
    options: { schema: string };
  };
  return {
    saver,
    location: url,
    async threads() {
      const table = `"${internals.options.schema.replace(/"/g, '""')}".checkpoints`;
      const result = await internals.pool.query(
        `SELECT thread_id, MAX(checkpoint_id) AS last FROM ${table} WHERE checkpoint_ns = '' GROUP BY thread_id ORDER BY last DESC`,
      );
      return result.rows.map((r) => r.thread_id);
    },
    async close() {
      await saver.end();
    },
  };
}
