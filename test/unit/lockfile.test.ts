import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

interface LockedPackage {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const root = join(import.meta.dirname, "..", "..");
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as LockedPackage;

/** Where Node (and npm) would find `name` from the package at `from`: its own node_modules, then each parent's. */
function resolveFrom(from: string, name: string): string | undefined {
  for (let dir = from; ;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent < 0 ? "" : dir.slice(0, parent);
  }
}

// `npm ci` installs from the lock file alone and refuses one that does not match package.json or
// lacks packages: an `npm install` on one platform has been seen to drop other platforms' optional packages.
describe("package-lock.json satisfies npm ci", () => {
  it("lists package.json's dependencies as they are declared", () => {
    const locked = lock.packages[""]!;
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(locked.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(locked.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
  });

  it("holds every optional (platform) package some package asks for, on every platform", () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
        if (!resolveFrom(path, name)) missing.push(`${path || "(root)"} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("resolves every required dependency of every locked package", () => {
    const missing: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      if (path.includes("node_modules/") && !pkg.version) continue; // a link
      for (const name of Object.keys(pkg.dependencies ?? {})) if (!resolveFrom(path, name)) missing.push(`${path || "(root)"} -> ${name}`);
    }
    expect(missing).toEqual([]);
  });
});
