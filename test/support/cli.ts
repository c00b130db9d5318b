import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/** The CLI as it ships: the bundle `npm run build` writes (package.json bin). */
export const CLI = join(import.meta.dirname, "..", "..", "dist", "cli", "main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  signal?: NodeJS.Signals | null;
}

/**
 * Run the built CLI as a subprocess. Asynchronous on purpose: the scripted
 * server lives in the test process and must keep answering while the CLI runs.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Start the CLI and return its process (to signal or kill it) and its result. */
export function startCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const env = { ...process.env, ...options.env };
  delete env.OPENAI_API_KEY;
  delete env.OPENAI_BASE_URL;
  delete env.PAPER2CODE_MODEL;
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, stdout, stderr, signal }));
  });
  return { child, done };
}

/** The flags that point a command at a model server (in the tests, the scripted one). */
export const modelFlags = (model: string, baseUrl: string) => ["--model", model, "--base-url", baseUrl];

/** The flags that say where a run writes: its folder and its checkpoint database. */
export const placeFlags = (out: string, checkpointer: string) => ["--out", out, "--checkpointer", checkpointer];

/** `paper2code run <paper>` against a model server, into a folder with its checkpoint database: how most end-to-end tests start. */
export const runArgs = (paper: string, model: string, baseUrl: string, out: string, checkpointer: string, ...extra: string[]) => [
  "run",
  paper,
  ...modelFlags(model, baseUrl),
  ...placeFlags(out, checkpointer),
  ...extra,
];
