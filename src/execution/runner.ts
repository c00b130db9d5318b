/** Running generated code: the Python environment, the install step and the smoke run, each in the sandbox with a time limit. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { hashText } from "../workspace/blobs.js";
import { readRepoFile, repoDir } from "../workspace/writer.js";
import { bubblewrapWorks, pythonPrefix, sandboxed, type Isolation } from "./sandbox.js";

export interface ExecutionRequest {
  /** A Python to use as it is; by default a virtual environment is made in the run folder. */
  python?: string;
  /** Install requirements.txt (default true; false for offline machines). */
  install?: boolean;
  /** Time limit of one smoke run, in seconds (default 300). */
  timeoutSeconds?: number;
  /** Debugger rounds after a failed smoke run (default 3; 0 reports the failure). */
  rounds?: number;
  /** The smoke command (default `bash reproduce.sh --smoke`). */
  command?: string[];
  /** Run without bubblewrap even when it works here (tests of the fallback). */
  isolation?: Isolation;
  /** Debugger rounds already used before this request (a later `debug` gets its own rounds). */
  roundsFrom?: number;
}

/** What an execution will run and where, printed before anything runs. */
export function describeExecution(request: ExecutionRequest, outDir: string): string {
  const isolation = isolationFor(request);
  const repo = repoDir(outDir);
  return [
    `will run generated code in ${repo}`,
    isolation === "bubblewrap"
      ? `  sandbox: bubblewrap (writes only under ${outDir}; no network after the install; your home and environment are not visible)`
      : `  WARNING: bubblewrap is not available, so isolation is weaker: a subprocess with a scrubbed environment and limits, which can still read your files and use the network (install the bubblewrap package for a sandbox)`,
    `  python: ${request.python ?? `${venvDir(outDir)} (a new virtual environment, made with python3 -m venv)`}`,
    `  install: ${request.install === false ? "skipped (--no-install)" : "pip install -r requirements.txt (with network)"}`,
    `  smoke run: ${(request.command ?? DEFAULT_SMOKE_COMMAND).join(" ")}, time limit ${request.timeoutSeconds ?? DEFAULT_SMOKE_TIMEOUT} s, up to ${request.rounds ?? DEFAULT_DEBUG_ROUNDS} debugger round(s)`,
  ].join("\n");
}

export const DEFAULT_SMOKE_COMMAND = ["bash", "reproduce.sh", "--smoke"];
export const DEFAULT_SMOKE_TIMEOUT = 300;
export const DEFAULT_DEBUG_ROUNDS = 3;
const OUTPUT_LIMIT = 200_000;

export interface ProcessResult {
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  durationMs: number;
}

/** bubblewrap when it works here; PAPER2CODE_SANDBOX=subprocess (or the request) forces the weaker fallback. */
export const isolationFor = (request: ExecutionRequest): Isolation =>
  request.isolation ?? (process.env.PAPER2CODE_SANDBOX === "subprocess" || !bubblewrapWorks() ? "subprocess" : "bubblewrap");

export const venvDir = (outDir: string) => join(outDir, ".paper2code", "venv");

/** The python the smoke run uses: the user's, or the run folder's virtual environment's. */
export function pythonFor(outDir: string, request: ExecutionRequest): string {
  return request.python ?? join(venvDir(outDir), "bin", "python");
}

/** What the code sees of the environment: a PATH to its python, a home inside the run folder, nothing secret. */
export function codeEnvironment(outDir: string, python: string): Record<string, string> {
  const home = join(outDir, ".paper2code", "home");
  mkdirSync(home, { recursive: true });
  const bin = python.includes("/") ? python.slice(0, python.lastIndexOf("/")) : "";
  return {
    PATH: [bin, "/usr/local/bin", "/usr/bin", "/bin"].filter(Boolean).join(":"),
    HOME: home,
    LANG: "C.UTF-8",
    PYTHON: python,
    PYTHONUNBUFFERED: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    MPLBACKEND: "Agg",
    TMPDIR: "/tmp",
  };
}

/** Run one command in the sandbox, killed (its whole process group) at the time limit. */
export function runSandboxed(
  command: string[],
  options: { outDir: string; cwd: string; python: string; isolation: Isolation; network: boolean; timeoutMs: number; signal?: AbortSignal },
): Promise<ProcessResult> {
  const started = Date.now();
  const prefix = pythonPrefix(options.python);
  const { file, args, env } = sandboxed({
    command,
    cwd: options.cwd,
    writable: options.outDir,
    env: codeEnvironment(options.outDir, options.python),
    network: options.network,
    isolation: options.isolation,
    readOnly: prefix && !prefix.startsWith(options.outDir) ? [prefix] : [],
    memoryMiB: 8192,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.length > OUTPUT_LIMIT * 2) output = output.slice(-OUTPUT_LIMIT);
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => ((timedOut = true), kill()), options.timeoutMs);
    options.signal?.addEventListener("abort", kill, { once: true });
    child.on("error", (error) => (clearTimeout(timer), reject(error)));
    child.on("close", (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", kill);
      resolve({ exitCode: code, timedOut, output: output.slice(-OUTPUT_LIMIT), durationMs: Date.now() - started });
    });
  });
}

export const requirementsHash = (outDir: string) => {
  const text = readRepoFile(outDir, "requirements.txt");
  return text === undefined ? "none" : hashText(text).slice(0, 16);
};

/** Make the run folder's virtual environment (once), with the python given or python3. */
export function ensureVenv(outDir: string, basePython = "python3"): void {
  if (existsSync(pythonFor(outDir, {}))) return;
  const made = spawnSync(basePython, ["-m", "venv", venvDir(outDir)], { encoding: "utf8", timeout: 120_000 });
  if (made.status !== 0) {
    throw new Error(
      `could not create a virtual environment with ${basePython} -m venv (${(made.stderr || made.error?.message || "").trim().split("\n").at(-1)}); install python3-venv, or name a Python with --python`,
    );
  }
}

export interface ExecutionOptions {
  python?: string;
  install?: boolean;
  debugRounds?: number;
  smokeTimeout?: number;
  smokeCommand?: string;
}

/** The CLI's execution flags as the graph's request; a --python that does not run is refused before anything starts. */
export function executionRequestFrom(options: ExecutionOptions): ExecutionRequest {
  if (options.python) {
    const probe = spawnSync(options.python, ["-c", "import sys; print(sys.version_info[0])"], { encoding: "utf8", timeout: 30_000 });
    if (probe.status !== 0 || probe.stdout.trim() !== "3") {
      throw new UserError(
        `--python ${options.python} is not a working Python 3 (${probe.error?.message ?? (probe.stderr.trim() || probe.stdout.trim() || `exit ${probe.status}`)})`,
        ExitCode.usage,
      );
    }
  }
  return {
    ...(options.python ? { python: options.python } : {}),
    install: options.install !== false,
    ...(options.debugRounds !== undefined ? { rounds: options.debugRounds } : {}),
    ...(options.smokeTimeout !== undefined ? { timeoutSeconds: options.smokeTimeout } : {}),
    ...(options.smokeCommand ? { command: ["bash", "-c", options.smokeCommand] } : {}),
  };
}
