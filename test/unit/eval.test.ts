import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  chooseReferenceFilesNode,
  judgeLeafNode,
  judgeRepositoryNode,
  type LeafTask,
  type RepositoryTask,
} from "../../agents/judge/index.js";
import { ExitCode, UserError } from "../../src/errors.js";
import { summarizeRubric, summarizeSamples } from "../../src/eval/aggregate.js";
import { codeFirst, packFiles, rankFiles, readRepository, type RepoFile } from "../../src/eval/files.js";
import { evaluationId } from "../../src/eval/identity.js";
import { modesOf, prepareEvalNode } from "../../src/eval/nodes.js";
import type { EvalState, RepositorySample } from "../../src/eval/state.js";
import { countTokens } from "../../src/tokens.js";
import { goldRepository, judgeRules, SUBMISSION, TINY_RUBRIC, writeTree } from "../fixtures/judge-replies.js";
import { KeyedFakeChatModel } from "../support/fake-model.js";
import { TINY_PAPER } from "../support/node-state.js";
import { taskIs, type Rule } from "../support/rules.js";

const dir = mkdtempSync(join(tmpdir(), "p2c-eval-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (path: string, text: string): RepoFile => ({ path, text, tokens: countTokens(text) });

describe("choosing and packing files for a judge", () => {
  const files = [
    file("README.md", "# Project\nHow to run the experiments."),
    file("data.py", "def load_cifar(path):\n    return open(path)\n"),
    file("losses.py", "def contrastive_loss(logits, temperature):\n    '''InfoNCE loss with a temperature.'''\n"),
    file("model.py", "class Encoder:\n    def forward(self, x):\n        return x\n"),
  ];

  it("ranks by the requirement's words, in text and path (snake_case split)", () => {
    expect(rankFiles(files, "The contrastive loss uses a temperature")[0]!.file.path).toBe("losses.py");
    expect(rankFiles(files, "CIFAR data loading")[0]!.file.path).toBe("data.py");
    expect(rankFiles(files, "the encoder's forward pass")[0]!.file.path).toBe("model.py");
  });

  it("weighs the leaf's own requirement over its ancestors'", () => {
    const question = [
      { text: "The encoder is trained", weight: 1 },
      { text: "Data: CIFAR is loaded from disk; data loading", weight: 0.3 },
    ];
    expect(rankFiles(files, question)[0]!.file.path).toBe("model.py");
    expect(
      rankFiles(
        files,
        question.map((q) => ({ ...q, weight: 1 })),
      )[0]!.file.path,
    ).toBe("data.py");
  });

  it("without a match, code comes before settings and documents", () => {
    expect(rankFiles(files, "zzz qqq").map((r) => r.file.path)).toEqual(codeFirst(files).map((f) => f.path));
    expect(codeFirst(files).at(-1)!.path).toBe("README.md");
  });

  it("packs within the budget: a long top file is cut, a file that does not fit is passed over for smaller ones", () => {
    const long = file("long.py", Array.from({ length: 400 }, (_, i) => `x_${i} = ${i}  # a line of code`).join("\n"));
    const packed = packFiles([long, ...files], 1_000);
    expect(packed.tokens).toBeLessThanOrEqual(1_000);
    expect(packed.shown[0]).toMatchObject({ path: "long.py", truncated: true });
    expect(packed.text).toContain("cut here");
    expect(countTokens(packed.text)).toBeLessThanOrEqual(1_000 + 20);

    const small = packFiles([files[0]!, long, files[1]!], 200);
    expect(small.shown.map((s) => s.path)).toEqual(["README.md", "data.py"]);
    expect(small.omitted).toEqual(["long.py"]);
  });
});

describe("reading a repository", () => {
  it("reads text files, skips tool folders, hidden and binary files, and reads a run folder's repo/", () => {
    const root = writeTree(join(dir, "run"), {
      "run.json": "{}",
      "repo/main.py": "print(1)\n",
      "repo/pkg/util.py": "X = 1\n",
      "repo/.env": "KEY=secret",
      "repo/__pycache__/main.pyc": "x",
      "repo/.git/HEAD": "ref",
    });
    writeFileSync(join(root, "repo", "weights.bin"), Buffer.from([1, 0, 2, 3]));
    const read = readRepository(root);
    expect(read.root).toBe(join(root, "repo"));
    expect(read.files.map((f) => f.path)).toEqual(["main.py", "pkg/util.py"]);
    expect(read.skipped.sort()).toEqual([".env", "weights.bin"]);
  });

  it("refuses a folder with nothing to judge, and a missing one", () => {
    mkdirSync(join(dir, "empty"));
    expect(() => readRepository(join(dir, "empty"))).toThrow(expect.objectContaining({ exitCode: ExitCode.badInput }));
    expect(() => readRepository(join(dir, "nowhere"))).toThrow(expect.objectContaining({ exitCode: ExitCode.notFound }));
  });
});

describe("aggregating judgments", () => {
  const sample = (
    n: number,
    score: number | undefined,
    problems: [string, "high" | "medium" | "low", string][] = [],
  ): RepositorySample => ({
    mode: "reference-free",
    sample: n,
    valid: score !== undefined,
    ...(score !== undefined
      ? {
          judgment: {
            score,
            summary: "",
            components: problems.map(([name, severity, status]) => ({
              name,
              severity,
              status: status as "partial",
              critique: `${name} is ${status}`,
            })),
          },
        }
      : { problem: "no JSON" }),
    invalidReplies: score === undefined ? 2 : 0,
    shown: [],
    omitted: [],
  });

  it("averages the valid samples only and counts the invalid ones", () => {
    const s = summarizeSamples("reference-free", [sample(1, 4), sample(2, undefined), sample(3, 2), sample(4, 3)]);
    expect(s).toMatchObject({ samples: 4, valid: 3, invalid: 1, invalidReplies: 2, mean: 3, scores: [4, 2, 3] });
    expect(s.stdev).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(summarizeSamples("reference-free", [sample(1, undefined)]).mean).toBeNull();
  });

  it("groups components judged not correct across samples, most severe first", () => {
    const s = summarizeSamples("reference-free", [
      sample(1, 3, [
        ["Loss", "medium", "partial"],
        ["Encoder", "low", "correct"],
      ]),
      sample(2, 3, [
        ["loss ", "high", "incorrect"],
        ["Schedule", "low", "missing"],
      ]),
    ]);
    expect(s.problems.map((p) => [p.name, p.severity, p.samples])).toEqual([
      ["Loss", "high", 2],
      ["Schedule", "low", 1],
    ]);
  });

  it("scores the rubric in percent with per-section scores, failed and unjudged leaves", () => {
    const leaves = {
      a1: { id: "a1", score: 1 as const, valid: true, explanation: "ok", invalidReplies: 0, files: [] },
      a2: { id: "a2", score: 0 as const, valid: true, explanation: "missing", invalidReplies: 0, files: [] },
      b1: { id: "b1", score: 0 as const, valid: false, explanation: "no valid judgment", invalidReplies: 2, files: [] },
      b2: { id: "b2", score: 1 as const, valid: true, explanation: "ok", invalidReplies: 0, files: [] },
    };
    const r = summarizeRubric(TINY_RUBRIC, leaves);
    // a3 and b3 unjudged count 0: A = (1 + 0 + 0) / 4, B = (0 + 3 + 0) / 5, root = (3 * 0.25 + 0.6) / 4.
    expect(r.score).toBeCloseTo(100 * ((3 * 0.25 + 0.6) / 4), 10);
    expect(r).toMatchObject({ leaves: 6, judged: 4, passed: 2, invalid: 1 });
    expect(r.sections.map((s) => [s.id, s.score, `${s.passed}/${s.leaves}`])).toEqual([
      ["A", 25, "1/3"],
      ["B", 60, "1/3"],
    ]);
    expect(r.failed.map((f) => [f.id, f.section, f.valid])).toEqual([
      ["a2", "The model is implemented as described", true],
      ["b1", "Training follows the paper", false],
    ]);
  });
});

describe("the judge nodes", () => {
  const prepared = async (name: string, extra: Partial<EvalState> = {}, rules: Rule[] = judgeRules()) => {
    const outDir = join(dir, name);
    const repo = writeTree(join(dir, `${name}-repo`), SUBMISSION);
    const model = new KeyedFakeChatModel(rules);
    const config = { configurable: { judgeModel: "compat:judge", chatModel: model, codeTokenBudget: 1_000 } };
    const state = {
      repoPath: repo,
      paperPath: TINY_PAPER,
      outDir,
      samples: [],
      leaves: {},
      calls: [],
      notes: [],
      ...extra,
    } as unknown as EvalState;
    const update = await prepareEvalNode(state, config);
    return { state: { ...state, ...update } as EvalState, config, model };
  };

  it("a leaf whose judge never answers usably is scored 0, marked invalid, its replies counted, not thrown", async () => {
    const { state, config, model } = await prepared("leaf");
    const task = (id: string): LeafTask => ({
      outDir: state.outDir,
      paper: state.paper,
      submission: state.submission,
      leaf: { id, requirements: "The loss is the mean squared error", category: "Code Development" },
      context: ["root"],
    });
    const bad = await judgeLeafNode(task("b1"), config);
    expect(bad.leaves.b1).toMatchObject({ score: 0, valid: false, invalidReplies: 2 });
    expect(bad.calls).toHaveLength(2);
    const good = await judgeLeafNode(task("a1"), config);
    expect(good.leaves.a1).toMatchObject({ score: 1, valid: true, invalidReplies: 0 });
    expect(good.leaves.a1!.files[0]!.path).toBe("train.py");
    expect(model.requests).toHaveLength(3);
  });

  it("a repository sample out of range is re-asked and counted; one never valid is reported invalid", async () => {
    const { state, config } = await prepared("sample");
    const task = (sample: number): RepositoryTask => ({
      outDir: state.outDir,
      paper: state.paper,
      submission: state.submission,
      mode: "reference-free",
      sample,
      samples: 8,
    });
    expect((await judgeRepositoryNode(task(7), config)).samples[0]).toMatchObject({
      valid: true,
      invalidReplies: 1,
      judgment: { score: 3 },
    });
    expect((await judgeRepositoryNode(task(5), config)).samples[0]).toMatchObject({
      valid: false,
      invalidReplies: 2,
      problem: expect.stringContaining("JSON"),
    });
  });

  it("gold files: all when they fit (no call), the user's list, the judge's choice, or code first when the judge fails", async () => {
    const small = writeTree(join(dir, "gold-small"), { "model.py": "class M: pass\n" });
    const fits = await prepared("gold-fits", { referencePath: small });
    expect(await chooseReferenceFilesNode(fits.state, fits.config)).toMatchObject({
      referenceSelection: { by: "all", files: ["model.py"] },
    });
    expect(fits.model.requests).toHaveLength(0);

    const gold = writeTree(join(dir, "gold-big"), goldRepository());
    const listed = await prepared("gold-listed", { referencePath: gold, referenceFiles: ["README.md"] });
    expect(await chooseReferenceFilesNode(listed.state, listed.config)).toMatchObject({
      referenceSelection: { by: "user", files: ["README.md"] },
    });

    const chosen = await prepared("gold-chosen", { referencePath: gold });
    expect(await chooseReferenceFilesNode(chosen.state, chosen.config)).toMatchObject({
      referenceSelection: { by: "judge", files: ["src/model.py", "src/train.py"], invalidReplies: 1 },
    });

    const confused: Rule[] = [
      { name: "confused", match: taskIs("choose the authors' files to read"), reply: '{"files": ["nowhere.py"], "reason": "?"}' },
    ];
    const failed = await prepared("gold-failed", { referencePath: gold }, confused);
    const update = await chooseReferenceFilesNode(failed.state, failed.config);
    expect(update.referenceSelection).toMatchObject({ by: "fallback", invalidReplies: 2 });
    expect(update.referenceSelection!.files.slice(0, 3)).toEqual(["notebooks/plots.py", "src/model.py", "src/train.py"]);
    expect(update.notes![0]).toContain("no usable choice");
  });

  it("prepare refuses listed gold files that do not exist, and gold files without a reference", async () => {
    const gold = writeTree(join(dir, "gold-x"), goldRepository());
    await expect(prepared("bad-list", { referencePath: gold, referenceFiles: ["src/missing.py"] })).rejects.toThrow(UserError);
    await expect(prepared("no-ref", { referenceFiles: ["a.py"] })).rejects.toThrow(/needs --reference/);
  });
});

describe("an evaluation's identity and modes", () => {
  it("is the same for the same files and settings, and changes with a file's content or a setting", () => {
    const repo = writeTree(join(dir, "id-repo"), { "a.py": "x = 1\n" });
    const id = (settings: Record<string, unknown> = { samples: 8 }) => evaluationId({ paths: { repo, paper: TINY_PAPER }, settings });
    const first = id();
    expect(first).toMatch(/^eval-[0-9a-f]{16}$/);
    expect(id()).toBe(first);
    expect(id({ samples: 4 })).not.toBe(first);
    writeFileSync(join(repo, "a.py"), "x = 2\n");
    expect(id()).not.toBe(first);
  });

  it("reference-free by default; the others when their inputs are given; reference-free too on request", () => {
    expect(modesOf({ rubricPath: undefined, referencePath: undefined, referenceFree: undefined })).toEqual(["reference-free"]);
    expect(modesOf({ rubricPath: "r.json", referencePath: "gold", referenceFree: undefined })).toEqual(["reference-based", "rubric"]);
    expect(modesOf({ rubricPath: "r.json", referencePath: undefined, referenceFree: true })).toEqual(["reference-free", "rubric"]);
  });
});
