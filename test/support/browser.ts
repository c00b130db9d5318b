import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** Debian's Chromium (.ci/run installs it); Playwright drives it, no browser download. */
export const CHROMIUM = process.env.PAPER2CODE_CHROMIUM ?? "/usr/bin/chromium";

/** Whether the browser tests can run here; in CI they must (a missing browser fails them instead of skipping). */
export const hasChromium = existsSync(CHROMIUM) || process.env.CI === "true";

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  // Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
