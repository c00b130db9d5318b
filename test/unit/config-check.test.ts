import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { flattenKeys } from "../../agents/config-writer/index.js";
import { checkRepository } from "../../src/checks/repo.js";
import { CONFIG_CORPUS } from "../fixtures/config-corpus.js";

async function configFindings(files: Record<string, string>, config: string) {
  const report = await checkRepository({
    files: new Map(Object.entries(files)),
    configKeys: flattenKeys(parse(config)),
    requirements: [],
    entrypoint: "main.py",
  });
  return report.issues
    .filter((i) => i.check === "config-key")
    .map((i) => ({ file: i.file, key: /reads config key ([\w.]+)/.exec(i.message)![1]!, message: i.message, line: i.line }));
}

describe("the config-key check on realistic generated repositories", () => {
  it("finds every planted defect and nothing else (precision and recall printed)", async () => {
    let truePositives = 0;
    let falsePositives = 0;
    let planted = 0;
    const misses: string[] = [];
    const alarms: string[] = [];
    for (const repo of CONFIG_CORPUS) {
      const found = await configFindings(repo.files, repo.config);
      planted += repo.defects.length;
      for (const f of found) {
        if (repo.defects.some((d) => d.file === f.file && d.key === f.key)) truePositives++;
        else {
          falsePositives++;
          alarms.push(`${repo.name}: ${f.file}:${f.line} ${f.message}`);
        }
      }
      for (const d of repo.defects)
        if (!found.some((f) => f.file === d.file && f.key === d.key)) misses.push(`${repo.name}: ${d.file} ${d.key}`);
    }
    const precision = truePositives / Math.max(1, truePositives + falsePositives);
    const recall = truePositives / planted;
    process.stdout.write(
      `config-key check on ${CONFIG_CORPUS.length} repositories: ${planted} planted defects, ${truePositives} found, ${falsePositives} false alarms; precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)}\n`,
    );
    expect(alarms).toEqual([]);
    expect(misses).toEqual([]);
    expect(planted).toBe(10);
  });

  it("says how a read is reached when it goes through a .get with no default", async () => {
    const repo = CONFIG_CORPUS.find((r) => r.name === "stochastic interpolants")!;
    const found = await configFindings(repo.files, repo.config);
    expect(found.find((f) => f.key === "schedule.warmup")!.message).toBe(
      'cfg.get("schedule")["warmup"] reads config key schedule.warmup through a .get() with no default, so it is None when missing, which config.yaml does not have',
    );
  });

  it("once the defects are fixed, the same repositories pass", async () => {
    for (const repo of CONFIG_CORPUS) {
      const fixed = Object.fromEntries(
        Object.entries(repo.files).map(([file, source]) => [
          file,
          source
            .split("\n")
            .filter((l) => !l.includes("# DEFECT"))
            .join("\n"),
        ]),
      );
      // Removing a defect line can leave a name undefined, which this check does not look at: only config keys matter here.
      expect(await configFindings(fixed, repo.config), repo.name).toEqual([]);
    }
  });
});
