import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root, found from this module whether it runs from src/ (tsx) or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "prompts"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("paper2code: cannot find the package's prompts/ folder");
}

const cache = new Map<string, string>();

/**
 * A prompt template from prompts/<name>.md. PAPER2CODE_PROMPTS_DIR points at a
 * folder of edited copies; a prompt missing there falls back to the packaged one.
 */
export function loadPrompt(name: string): string {
  const overrideDir = process.env.PAPER2CODE_PROMPTS_DIR;
  const key = `${overrideDir ?? ""}\0${name}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const candidates = [overrideDir && join(overrideDir, `${name}.md`), join(packageRoot(), "prompts", `${name}.md`)];
  const file = candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
  if (!file) throw new Error(`prompt ${name}.md not found`);
  const text = readFileSync(file, "utf8");
  cache.set(key, text);
  return text;
}

/** Fill `{{name}}` placeholders; a placeholder without a value is a bug, so it throws. */
export function renderPrompt(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`prompt placeholder {{${key}}} has no value`);
    return value;
  });
}

export function prompt(name: string, values: Record<string, string> = {}): string {
  return renderPrompt(loadPrompt(name), values);
}
