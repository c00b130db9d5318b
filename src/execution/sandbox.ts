/**
 * Where generated code runs. With bubblewrap: a private mount namespace holding
 * the system read-only, the run folder writable and nothing else (the user's
 * home is not there), no network unless asked (the install step), an empty
 * environment but for a few variables, its own PID namespace, killed with its
 * parent. Without bubblewrap: a subprocess with the same scrubbed environment
 * and ulimits, and a warning that isolation is weaker.
 */
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname } from "node:path";

export type Isolation = "bubblewrap" | "subprocess";

let probed: boolean | undefined;

/** Whether bubblewrap is installed and can create its namespaces here (containers may forbid them). */
export function bubblewrapWorks(): boolean {
  probed ??=
    spawnSync("bwrap", ["--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"], { stdio: "ignore", timeout: 10_000 })
      .status === 0;
  return probed;
}

export interface SandboxRequest {
  /** The program and its arguments. */
  command: string[];
  cwd: string;
  /** The only folder the code may write to (the run folder). */
  writable: string;
  /** Variables the code sees; nothing else from the caller's environment. */
  env: Record<string, string>;
  network: boolean;
  isolation: Isolation;
  /** Extra read-only folders (a Python installed outside /usr). */
  readOnly?: string[];
  /** Memory limit in MiB for the subprocess fallback (ulimit -v). */
  memoryMiB?: number;
}

const SYSTEM_DIRS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/opt"];

/** The folder a Python installation lives in, when it is not under the system folders the sandbox shows anyway. */
export function pythonPrefix(python: string): string | undefined {
  try {
    const real = realpathSync(python);
    if (SYSTEM_DIRS.some((d) => real.startsWith(`${d}/`))) return undefined;
    return dirname(dirname(real));
  } catch {
    return undefined;
  }
}

export function sandboxed(request: SandboxRequest): { file: string; args: string[]; env: Record<string, string> } {
  if (request.isolation === "subprocess") {
    const memory = request.memoryMiB ? `ulimit -v ${request.memoryMiB * 1024} 2>/dev/null; ` : "";
    return { file: "bash", args: ["-c", `${memory}ulimit -c 0; exec "$@"`, "sandbox", ...request.command], env: request.env };
  }
  const args = ["--die-with-parent", "--new-session", "--unshare-all", ...(request.network ? ["--share-net"] : []), "--clearenv"];
  for (const dir of SYSTEM_DIRS) if (existsSync(dir)) args.push("--ro-bind", dir, dir);
  for (const dir of request.readOnly ?? []) args.push("--ro-bind", dir, dir);
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", request.writable, request.writable, "--chdir", request.cwd);
  for (const [key, value] of Object.entries(request.env)) args.push("--setenv", key, value);
  return { file: "bwrap", args: [...args, "--", ...request.command], env: {} };
}
