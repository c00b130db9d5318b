import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Every file under a folder (none when it is missing): paths relative to it, with `/`, sorted. */
export function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
}

/** A file's text, or undefined when there is none. */
export const textIfExists = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, "utf8") : undefined);

/** A JSON file's value, or undefined when there is none. */
export function jsonIfExists<T>(path: string): T | undefined {
  const text = textIfExists(path);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}
