import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyFailure } from "../../src/execution/classify.js";
import {
  PYTEST_ASSERTION_FIRST,
  PYTEST_COLLECTION_ERROR,
  PYTEST_SETUP_ERROR_AND_FAILURES,
  UNITTEST_ERROR_AND_FAILURE,
} from "../fixtures/test-outputs.js";
import { modifiedLines } from "../../src/execution/diff-stats.js";
import { applyEdits, parseEdits } from "../../src/execution/edits.js";
import { runSandboxed } from "../../src/execution/runner.js";
import { ReplyParseError } from "../../src/parsing/json.js";

const block = (path: string, search: string, replace: string) => `${path}\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;

describe("SEARCH/REPLACE edits", () => {
  const files: Record<string, string> = { "a.py": "x = 1\ny = 2\nx = 1\n", "b.py": "def f():\n    return 1\n" };
  const read = (path: string) => files[path];

  it("reads blocks with the path above them, in or out of fences, after a diagnosis", () => {
    const reply = `Diagnosis: two things.\n\n\`\`\`python\n${block("b.py", "    return 1", "    return 2")}\n\`\`\`\n\n**a.py**\n<<<<<<< SEARCH\ny = 2\n=======\ny = 3\n>>>>>>> REPLACE`;
    expect(parseEdits(reply)).toEqual([
      { path: "b.py", search: "    return 1", replace: "    return 2" },
      { path: "a.py", search: "y = 2", replace: "y = 3" },
    ]);
  });

  it("applies an edit whose search text occurs exactly once", () => {
    expect(applyEdits(parseEdits(block("b.py", "    return 1", "    return 2")), read).get("b.py")).toBe("def f():\n    return 2\n");
  });

  it("applies nothing when a search text matches zero or two places, and says which and why", () => {
    const zero = parseEdits(`${block("b.py", "    return 1", "    return 2")}\n${block("a.py", "z = 9", "z = 0")}`);
    expect(() => applyEdits(zero, read)).toThrow(
      new ReplyParseError(
        "no edit was applied: edit 2 (a.py): the SEARCH text matches nothing in the file; copy the lines exactly as they are, indentation included",
      ),
    );
    const two = parseEdits(block("a.py", "x = 1", "x = 5"));
    expect(() => applyEdits(two, read)).toThrow(/edit 1 \(a\.py\): the SEARCH text matches 2 places; include more surrounding lines/);
    expect(files["a.py"]).toBe("x = 1\ny = 2\nx = 1\n");
  });

  it("creates a missing file from an empty search, and refuses an empty search on an existing file", () => {
    expect(applyEdits(parseEdits(block("utils.py", "", "def g():\n    pass")), read).get("utils.py")).toBe("def g():\n    pass\n");
    expect(() => applyEdits(parseEdits(block("a.py", "", "x = 2")), read)).toThrow(/empty SEARCH, but the file exists/);
  });

  it("counts a changed line once", () => {
    expect(modifiedLines("a\nb\nc\n", "a\nB\nc\nd\n")).toEqual({ added: 2, removed: 1, modified: 2 });
  });
});

describe("classifyFailure", () => {
  const options = {
    repoDir: "/r/repo",
    repoFiles: new Set(["main.py", "model.py", "utils.py"]),
    configKeys: ["training", "training.steps"],
  };
  const traceback = (last: string) =>
    `Traceback (most recent call last):\n  File "/r/repo/main.py", line 3, in <module>\n    run()\n  File "/r/repo/model.py", line 9, in run\n    x()\n${last}\n`;
  it.each([
    ["ModuleNotFoundError: No module named 'torch'", "missing-dependency"],
    ["ModuleNotFoundError: No module named 'utils'", "import-error"],
    ["ImportError: cannot import name 'Foo' from 'model'", "import-error"],
    ["NameError: name 'np' is not defined", "import-error"],
    ["NameError: name 'totl' is not defined", "name-error"],
    ['  File "x.py", line 2\nSyntaxError: invalid syntax', "syntax"],
    ["KeyError: 'steps'", "config-key"],
    ["FileNotFoundError: [Errno 2] No such file or directory: 'data/train.csv'", "data-path"],
    ["ValueError: shapes (2,3) and (2,3) not aligned", "type-value-error"],
  ])("%s -> %s", (last, kind) => {
    const failure = classifyFailure(traceback(last), options);
    expect(failure.kind).toBe(kind);
    expect(failure.files).toEqual(["main.py", "model.py"]);
  });
  const pytestOptions = {
    repoDir: "/r/repo",
    repoFiles: new Set([
      "src/__init__.py",
      "src/config.py",
      "tests/conftest.py",
      "tests/test_gen.py",
      "tests/test_ok.py",
      "tests/test_m.py",
    ]),
    configKeys: ["generation", "generation.top_p"],
  };
  it("names the exception of a pytest collection error, not pytest's summary line", () => {
    const failure = classifyFailure(PYTEST_COLLECTION_ERROR, pytestOptions);
    expect(failure).toEqual({
      kind: "config-key",
      summary: `KeyError: "config.yaml key 'generation.temperature' is missing"`,
      files: ["tests/test_gen.py", "src/config.py"],
    });
  });
  it("names the first failure of a pytest run with several (a fixture's set-up error first)", () => {
    const failure = classifyFailure(PYTEST_SETUP_ERROR_AND_FAILURES, pytestOptions);
    expect(failure.kind).toBe("config-key");
    expect(failure.summary).toBe(`KeyError: "config.yaml key 'generation.temperature' is missing"`);
    expect(failure.files).toEqual(["tests/conftest.py", "src/config.py", "tests/test_ok.py"]);
  });
  it("the first of several pytest failures, an assertion, is an AssertionError with pytest's explanation", () => {
    expect(classifyFailure(PYTEST_ASSERTION_FIRST, pytestOptions)).toEqual({
      kind: "type-value-error",
      summary: "AssertionError: assert 2 == 3",
      files: ["tests/test_ok.py", "tests/test_m.py"],
    });
  });
  it("reads unittest's report: the last exception raised", () => {
    const failure = classifyFailure(UNITTEST_ERROR_AND_FAILURE, pytestOptions);
    expect(failure).toEqual({ kind: "type-value-error", summary: "AssertionError: 1 != 2", files: ["tests/test_m.py"] });
  });
  it("a plain traceback is not read as pytest's", () => {
    expect(
      classifyFailure(
        "epoch 1\nERROR loading data\nTraceback (most recent call last):\n  File \"/r/repo/src/config.py\", line 9\nKeyError: 'temperature'\n",
        pytestOptions,
      ).summary,
    ).toBe("KeyError: 'temperature'");
  });
  it("a time-out is a timeout whatever the output", () => {
    expect(classifyFailure("step 1\nstep 2", { ...options, timedOut: true }).kind).toBe("timeout");
  });
});

describe("the subprocess fallback", () => {
  it("scrubs the environment and kills the process group at the time limit", async () => {
    const outDir = await mkdtemp(join(tmpdir(), "p2c-fallback-"));
    process.env.PAPER2CODE_TEST_SECRET = "must-not-leak";
    try {
      const shown = await runSandboxed(["python3", "-c", "import os; print(sorted(os.environ))"], {
        outDir,
        cwd: outDir,
        python: "python3",
        isolation: "subprocess",
        network: false,
        timeoutMs: 10_000,
      });
      expect(shown.exitCode).toBe(0);
      expect(shown.output).not.toContain("PAPER2CODE_TEST_SECRET");
      expect(shown.output).not.toContain("OPENAI_API_KEY");
      const slow = await runSandboxed(["bash", "-c", "sleep 30 & sleep 30"], {
        outDir,
        cwd: outDir,
        python: "python3",
        isolation: "subprocess",
        network: false,
        timeoutMs: 500,
      });
      expect(slow.timedOut).toBe(true);
      expect(slow.durationMs).toBeLessThan(5_000);
    } finally {
      delete process.env.PAPER2CODE_TEST_SECRET;
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
