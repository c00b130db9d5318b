import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { ScriptedServer } from "./scripted-server.js";

/**
 * A scripted model server and a temporary folder for the tests of one describe
 * block: started before them (`ready` receives both), closed and removed after.
 */
export function withScriptedServer(
  prefix: string,
  start: () => Promise<ScriptedServer>,
  ready: (server: ScriptedServer, dir: string) => void,
) {
  let server: ScriptedServer | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    server = await start();
    dir = await mkdtemp(join(tmpdir(), prefix));
    ready(server, dir);
  });
  afterAll(async () => {
    await server?.close();
    if (dir && !process.env.PAPER2CODE_KEEP_TEST_DIRS) await rm(dir, { recursive: true, force: true });
  });
}
