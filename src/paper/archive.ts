import { Parser, type ReadEntry } from "tar";
import { posix } from "node:path";

/** Text files of a source tree that matter for reading a paper. */
export const SOURCE_FILE = /\.(tex|bbl|bib|ltx)$/i;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * Read the LaTeX-relevant text files of a .tar or .tar.gz held in memory. Paths
 * are normalised; absolute paths and `..` are refused; nothing touches the disk.
 */
export async function readTarSources(bytes: Uint8Array): Promise<{ files: Map<string, string>; skipped: string[] }> {
  const files = new Map<string, string>();
  const skipped: string[] = [];
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const path = posix.normalize(entry.path.replace(/\\/g, "/")).replace(/^\.\//, "");
        if (entry.type !== "File" || !SOURCE_FILE.test(path)) {
          entry.resume();
          return;
        }
        if (path.startsWith("/") || path.split("/").includes("..")) {
          skipped.push(path);
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => {
          total += chunk.length;
          if (total > MAX_TOTAL_BYTES) {
            parser.abort(new Error("the archive's LaTeX sources exceed 64 MB"));
            return;
          }
          chunks.push(chunk);
        });
        entry.on("end", () => files.set(path, Buffer.concat(chunks).toString("utf8")));
      },
    });
    parser.on("end", () => resolve());
    parser.on("abort", (error: Error) => reject(error));
    parser.on("error", (error: Error) => reject(error));
    parser.end(Buffer.from(bytes));
  });
  return { files, skipped };
}
