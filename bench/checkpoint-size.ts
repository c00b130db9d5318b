/**
 * Checkpoint database size against the number of generated files: a run of N
 * files (scripted model, default verification) per size, in a fresh SQLite database.
 * Large texts (paper, code) live in the run folder's blob store; this shows what
 * the checkpoints themselves hold and whether that grows linearly or worse.
 *   npm run build && npx tsx bench/checkpoint-size.ts [5 10 20]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { manyFileRules } from "../test/fixtures/many-files.js";
import { runArgs, runCli } from "../test/support/cli.js";
import { TINY_PAPER } from "../test/support/node-state.js";
import { startScriptedServer } from "../test/support/scripted-server.js";

const sizes = process.argv.slice(2).map(Number);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const rows: string[] = [];
for (const n of sizes.length ? sizes : [5, 10, 20]) {
  const { rules } = manyFileRules(n, { codeLines: 120 });
  const server = await startScriptedServer(rules);
  const dir = mkdtempSync(join(tmpdir(), "p2c-ckpt-"));
  try {
    const db = join(dir, "checkpoints.sqlite");
    const result = await runCli([...runArgs(TINY_PAPER, "compat:scripted", server.baseUrl, join(dir, "out"), db), "-q"]);
    if (result.code !== 0) throw new Error(`run of ${n} files failed: ${result.stderr}`);
    const sqlite = SqliteSaver.fromConnString(db).db;
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const checkpoints = sqlite
      .prepare(
        "SELECT COUNT(*) AS n, SUM(LENGTH(checkpoint)) + SUM(LENGTH(metadata)) AS bytes, MAX(LENGTH(checkpoint)) AS largest FROM checkpoints",
      )
      .get() as { n: number; bytes: number; largest: number };
    const writes = sqlite.prepare("SELECT COUNT(*) AS n, SUM(LENGTH(value)) AS bytes FROM writes").get() as { n: number; bytes: number };
    sqlite.close();
    const file = statSync(db).size;
    rows.push(
      `| ${n} | ${server.requests.length} | ${checkpoints.n} | ${kb(checkpoints.bytes)} | ${kb(checkpoints.largest)} | ${writes.n} | ${kb(writes.bytes)} | ${kb(file)} | ${kb(file / n)} |`,
    );
    console.error(`${n} files: ${kb(file)}`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  "| files | model calls | checkpoints | checkpoint bytes | largest checkpoint | writes | write bytes | database file | per file |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const row of rows) console.log(row);
