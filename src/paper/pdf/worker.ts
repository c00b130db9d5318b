import { parentPort, workerData } from "node:worker_threads";
import { extractPdf } from "./extract.js";

// Worker entry: parse the PDF in its own thread, with the heap limit and time limit the parent set.
const { bytes, password } = workerData as { bytes: Uint8Array; password?: string };
extractPdf(bytes, password).then(
  (reply) => parentPort!.postMessage(reply),
  (error: Error) => parentPort!.postMessage({ ok: false, failure: { kind: "invalid", message: error.message } }),
);
