import { resolve } from "node:path";
import { usePriceFile } from "../llm/prices.js";
import { createChatModel, loadProviderFor } from "../models/factory.js";
import { checkModelServer } from "../models/preflight.js";
import type { ModelSettings } from "../models/settings.js";
import { usePdfPassword } from "../paper/password.js";

/*
 * The checks every command makes before its first model call (run, the
 * commands that continue a run, eval): each fails with one line and its exit
 * code, before anything is paid for or written.
 */

/** The settings only this process holds (never a checkpoint, never a child process): a price file, a PDF's password. */
export function useProcessSettings(options: { prices?: string; password?: string }) {
  usePriceFile(options.prices ? resolve(options.prices) : undefined); // a broken price file fails here, not after paid calls
  usePdfPassword(options.password);
}

/** The model is one paper2code can build a client for: a known provider, its package, its key. */
export async function checkModelSettings(settings: ModelSettings) {
  await loadProviderFor(settings.model);
  createChatModel(settings);
}

/** ... and its server answers and serves it (see models/preflight.ts). */
export async function checkModel(settings: ModelSettings) {
  await checkModelSettings(settings);
  await checkModelServer(settings);
}
