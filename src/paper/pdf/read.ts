import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ExitCode, UserError } from "../../errors.js";
import { packageRoot } from "../../prompts.js";
import type { RawPdf, WorkerReply } from "./types.js";

export interface PdfLimits {
  timeoutMs?: number;
  memoryMb?: number;
  password?: string;
}

/** The compiled worker: beside this module when it runs from tsc's dist/, else in it (the bundled CLI in dist/cli, or tests running the sources). */
function workerPath(): string {
  const beside = fileURLToPath(new URL("./worker.js", import.meta.url));
  if (existsSync(beside)) return beside;
  const built = join(packageRoot(), "dist", "src", "paper", "pdf", "worker.js");
  if (existsSync(built)) return built;
  throw new Error("the PDF worker is not built: run npm run build");
}

/** Parse a PDF in a worker thread with a heap limit and a time limit, so a hostile file cannot hang or exhaust the process. */
export async function readPdf(bytes: Uint8Array, name: string, limits: PdfLimits = {}): Promise<RawPdf> {
  const timeoutMs = limits.timeoutMs ?? 120_000;
  const memoryMb = limits.memoryMb ?? 1536;
  const worker = new Worker(workerPath(), {
    workerData: { bytes, password: limits.password },
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    stdout: true,
    stderr: true,
  });
  const reply = await new Promise<WorkerReply>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new UserError(`${name}: reading the PDF took longer than ${Math.round(timeoutMs / 1000)} s; stopped`, ExitCode.pdfLimit));
    }, timeoutMs);
    worker.once("message", (message: WorkerReply) => {
      clearTimeout(timer);
      resolve(message);
    });
    worker.once("error", (error: Error & { code?: string }) => {
      clearTimeout(timer);
      reject(
        error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new UserError(`${name}: reading the PDF needed more than ${memoryMb} MB; stopped`, ExitCode.pdfLimit)
          : new UserError(`${name}: the PDF reader failed: ${error.message}`, ExitCode.badInput),
      );
    });
  }).finally(() => void worker.terminate());

  if (reply.ok) return reply.pdf;
  switch (reply.failure.kind) {
    case "password-required":
      throw new UserError(`${name}: the PDF is encrypted; give its password with --password`, ExitCode.passwordRequired);
    case "password-wrong":
      throw new UserError(`${name}: wrong password for the encrypted PDF`, ExitCode.passwordWrong);
    case "invalid":
      throw new UserError(`${name}: not a readable PDF (${reply.failure.message})`, ExitCode.notAPdf);
  }
}
