import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TINY_PAPER } from "./node-state.js";

/** Copies of the tiny paper under their own titles: what tells their requests apart. */
export function writePapers(dir: string, titles: string[]): string[] {
  const text = readFileSync(TINY_PAPER, "utf8");
  return titles.map((title) => {
    const path = join(dir, `${title.toLowerCase().replace(/\W+/g, "-")}.md`);
    writeFileSync(path, text.replace(/^# .*/, `# ${title}`));
    return path;
  });
}

/** Which paper a logged request was about: its title is in the prompt. */
export const paperOf = (req: { system: string; task: string }, titles: string[]) =>
  titles.find((t) => req.system.includes(t) || req.task.includes(t));
