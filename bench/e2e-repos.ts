/**
 * Fingerprints of the repositories the scripted end-to-end runs write: for a
 * refactoring that must change no behaviour, the same fingerprints before and
 * after show that every generated file is byte-identical. Each scenario runs the
 * built CLI against the scripted server; the fingerprint is the sha256 of every
 * file under repo/ (path and bytes), of the artifacts that hold no time or id,
 * and of every request the model server received (the sha256 of each body, sorted:
 * parallel calls arrive in any order), so the prompts are byte-identical too.
 *   npm run build && npx tsx bench/e2e-repos.ts [--out fingerprints.json] [--compare fingerprints.json]
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { defectRules } from "../test/fixtures/defect-replies.js";
import { manyFileRules } from "../test/fixtures/many-files.js";
import { realisticRules, writeRealisticPaper } from "../test/fixtures/realistic-run.js";
import { tinyRules } from "../test/fixtures/tiny-replies.js";
import { runArgs, runCli } from "../test/support/cli.js";
import { TINY_PAPER } from "../test/support/node-state.js";
import { startScriptedServer, type Rule } from "../test/support/scripted-server.js";

const { values } = parseArgs({ options: { out: { type: "string" }, compare: { type: "string" } } });

interface Scenario {
  name: string;
  rules: () => Rule[];
  paper: (dir: string) => string;
  args: string[];
}

const SCENARIOS: Scenario[] = [
  { name: "tiny, defaults", rules: tinyRules, paper: () => TINY_PAPER, args: [] },
  { name: "tiny, --refine 0", rules: tinyRules, paper: () => TINY_PAPER, args: ["--refine", "0"] },
  {
    name: "tiny, sequential, full context",
    rules: tinyRules,
    paper: () => TINY_PAPER,
    args: ["--schedule", "sequential", "--context", "full"],
  },
  { name: "defects, refine all=1", rules: () => defectRules(), paper: () => TINY_PAPER, args: ["--refine", "all=1"] },
  { name: "12 files", rules: () => manyFileRules(12).rules, paper: () => TINY_PAPER, args: ["--refine", "0"] },
  { name: "realistic 27 files", rules: realisticRules, paper: (dir) => writeRealisticPaper(join(dir, "paper.md")), args: [] },
];

/** Artifacts whose text holds no time, id or absolute path. */
const STABLE_ARTIFACTS =
  /^(plan\.md|architecture\.md|logic\.(json|md)|config\.yaml|order\.json|provenance\.json|analysis\/.*\.md|checks\.json)$/;

function treeHash(root: string, keep: (path: string) => boolean = () => true): { hash: string; files: number } {
  const hash = createHash("sha256");
  let files = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (keep(relative(root, path))) {
        hash
          .update(`${relative(root, path)}\0`)
          .update(readFileSync(path))
          .update("\0");
        files++;
      }
    }
  };
  walk(root);
  return { hash: hash.digest("hex").slice(0, 16), files };
}

const results: Record<string, { repo: string; artifacts: string; files: number; calls: number; requests?: string }> = {};
for (const scenario of SCENARIOS) {
  const dir = mkdtempSync(join(tmpdir(), "p2c-e2e-repos-"));
  const server = await startScriptedServer(scenario.rules());
  try {
    const out = join(dir, "out");
    const r = await runCli([
      ...runArgs(scenario.paper(dir), "compat:m", server.baseUrl, out, join(dir, "c.sqlite")),
      "-q",
      ...scenario.args,
    ]);
    if (r.code !== 0) throw new Error(`${scenario.name}: exit ${r.code}: ${r.stderr}`);
    const repo = treeHash(join(out, "repo"));
    const artifacts = treeHash(join(out, "artifacts"), (p) => STABLE_ARTIFACTS.test(p));
    const requests = createHash("sha256")
      .update(
        server.requests
          .map((q) => q.key)
          .sort()
          .join("\n"),
      )
      .digest("hex")
      .slice(0, 16);
    results[scenario.name] = { repo: repo.hash, artifacts: artifacts.hash, files: repo.files, calls: server.requests.length, requests };
    console.log(
      `${scenario.name.padEnd(32)} repo ${repo.hash} (${repo.files} files)  artifacts ${artifacts.hash}  ${server.requests.length} calls  requests ${requests}`,
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
if (values.out) writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
if (values.compare) {
  const before = JSON.parse(readFileSync(values.compare, "utf8")) as typeof results;
  const differ = Object.keys(results).filter((k) => JSON.stringify(results[k]) !== JSON.stringify(before[k]));
  console.log(
    differ.length
      ? `DIFFERENT from ${values.compare}: ${differ.join(", ")}`
      : `identical to ${values.compare}: ${Object.keys(results).length} scenarios`,
  );
  process.exitCode = differ.length ? 1 : 0;
}
