import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRepository } from "../../src/checks/repo.js";
import { checkShellScript } from "../../src/checks/shell.js";

/** The repository the scripts belong to (config.yaml and requirements.txt are written after the checks). */
const FILES = new Set([
  "main.py",
  "train.py",
  "evaluate.py",
  "src/__init__.py",
  "src/train.py",
  "src/data/__init__.py",
  "src/data/download.py",
  "scripts/download_data.sh",
  "config.yaml",
  "requirements.txt",
]);

// Scripts in the shapes models write them: each must pass with no finding (a false alarm sends a working script back to the coder).
const GOOD: Record<string, string> = {
  "the usual set-up and smoke switch": `#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")"

SMOKE=""
if [[ "\${1:-}" == "--smoke" ]]; then
  SMOKE="--smoke"
else
  python3 -m venv .venv
  # shellcheck disable=SC1091
  source .venv/bin/activate
  pip install --upgrade pip
  pip install -r requirements.txt
fi
PYTHON="\${PYTHON:-python3}"

echo "[1/2] training (python train.py)"
"$PYTHON" train.py --config config.yaml $SMOKE
echo "[2/2] evaluation"
"$PYTHON" evaluate.py --config config.yaml $SMOKE
`,
  "loops, modules, functions, heredocs and a case": `#!/usr/bin/env bash
set -e
PY=\${PYTHON:-python3}
export PYTHONPATH="$PWD:\${PYTHONPATH:-}"

run_seed() {
  local seed="$1"
  $PY -m src.train --seed "$seed" \\
      --config config.yaml \\
      --out "results/seed_\${seed}"
}

case "\${1:-full}" in
  --smoke)
    cat > /tmp/smoke.yaml <<'EOF'
training:
  epochs: 1
model: [small]
EOF
    $PY main.py --config config.yaml --smoke
    ;;
  *)
    bash scripts/download_data.sh
    $PY -m src.data.download
    for seed in 0 1 2; do run_seed "$seed"; done
    ;;
esac
$PY -m pytest -q tests || echo "tests failed"
$PY - <<'PY'
import yaml
print(yaml.safe_load(open("config.yaml"))["training"])
PY
python3 -c "import torch; print(torch.__version__)"
exec "\${PYTHON:-python3}" evaluate.py "$@" 2>&1 | tee logs/eval.txt
`,
  "a script that writes a helper before running it": `#!/bin/bash
set -euo pipefail
mkdir -p tools
cat > tools/plot.py <<EOF
print("plot")
EOF
python3 tools/plot.py
VENV=.venv
"$VENV/bin/python" main.py
`,
  "cd into a folder of the repository": `#!/usr/bin/env bash
set -euo pipefail
cd src
python3 train.py
cd ..
python3 main.py
`,
};

const BAD: [string, string, RegExp][] = [
  [
    "YAML where the script should be",
    "model:\n  hidden_units: 4\ntraining:\n  steps: 5\n",
    /line 1: `model:` is not a command \(and 3 more such lines\): reproduce\.sh reads as YAML/,
  ],
  ["a malformed YAML reply", "model: [hidden_units: 4\nsteps: : 5\n", /`model:` is not a command/],
  [
    "an if with no fi",
    '#!/usr/bin/env bash\nif [ "${1:-}" = --smoke ]; then\n  python3 main.py --smoke\n',
    /bash -n: line 4: syntax error: unexpected end of file/,
  ],
  ["the script inside a Markdown fence", "```bash\n#!/usr/bin/env bash\npython3 main.py\n```\n", /line 1: a Markdown code fence/],
  [
    "an entry point that was never generated",
    '#!/usr/bin/env bash\nset -euo pipefail\n"${PYTHON:-python3}" run_experiments.py --config config.yaml\n',
    /line 3: runs run_experiments\.py, which is not a file of the repository/,
  ],
  ["a missing entry point behind exec", 'exec "${PYTHON:-python3}" experiments/run.py "$@"\n', /runs experiments\/run\.py/],
  [
    "a module of the repository that does not exist",
    "python3 -m src.evaluate --smoke\n",
    /runs the module src\.evaluate \(python -m\), which no file of the repository provides/,
  ],
  ["a helper script that does not exist", "bash scripts/prepare.sh\npython3 main.py\n", /line 1: runs scripts\/prepare\.sh/],
];

describe("shell script checks", () => {
  it.each(Object.entries(GOOD))("no finding in a working script: %s", (_, script) => {
    expect(checkShellScript("reproduce.sh", script, FILES)).toEqual([]);
  });

  it.each(BAD)("finds %s", (_, script, message) => {
    const findings = checkShellScript("reproduce.sh", script, FILES);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(message);
  });
});

describe("shell scripts in the repository checks", () => {
  const python = new Map([["main.py", 'def main():\n    pass\n\n\nif __name__ == "__main__":\n    main()\n']]);

  it("a broken reproduce.sh is a blocking finding that goes back to the coder", async () => {
    const files = new Map([...python, ["reproduce.sh", "#!/usr/bin/env bash\npython3 train.py\n"]]);
    const report = await checkRepository({ files, requirements: [], entrypoint: "main.py" });
    expect(report.ok).toBe(false);
    expect(report.counts.shell).toBe(1);
    expect(report.issues).toEqual([
      {
        check: "shell",
        file: "reproduce.sh",
        line: 2,
        message: "line 2: runs train.py, which is not a file of the repository",
        blocking: true,
      },
    ]);
  });

  it("a working reproduce.sh passes, and stands for the entry point the logic design named", async () => {
    const files = new Map([
      ...python,
      ["reproduce.sh", '#!/usr/bin/env bash\nset -euo pipefail\n"${PYTHON:-python3}" main.py --config config.yaml "$@"\n'],
    ]);
    expect(await checkRepository({ files, requirements: [], entrypoint: "main.py" })).toMatchObject({ ok: true, filesChecked: 2 });
    const other = await checkRepository({ files, requirements: [], entrypoint: "run.py" });
    expect(other.issues).toEqual([
      { check: "entrypoint", file: "run.py", message: "the entry point run.py was not generated", blocking: false },
    ]);
  });

  it("with no reproduce.sh, a missing entry point blocks", async () => {
    const report = await checkRepository({ files: python, requirements: [], entrypoint: "run.py" });
    expect(report.issues.map((i) => [i.check, i.blocking])).toEqual([["entrypoint", true]]);
  });
});

describe("shellcheck, when installed", () => {
  let bin: string;
  const path = process.env.PATH;
  beforeAll(async () => {
    // A stand-in shellcheck that reports what the real one prints in --format=json1: one error, one warning.
    bin = await mkdtemp(join(tmpdir(), "p2c-shellcheck-"));
    const report = JSON.stringify({
      comments: [
        {
          file: "-",
          line: 3,
          endLine: 3,
          column: 1,
          endColumn: 5,
          level: "error",
          code: 1089,
          message: "Parsing stopped here. Is this keyword correctly matched up?",
        },
        { file: "-", line: 2, endLine: 2, column: 1, endColumn: 5, level: "warning", code: 2034, message: "x appears unused." },
      ],
    });
    await writeFile(join(bin, "shellcheck"), `#!/bin/sh\ncat > /dev/null\necho '${report}'\nexit 1\n`);
    await chmod(join(bin, "shellcheck"), 0o755);
    process.env.PATH = `${bin}${delimiter}${path}`;
  });
  afterAll(async () => {
    process.env.PATH = path;
    await rm(bin, { recursive: true, force: true });
  });

  it("its errors are findings, its warnings are not", () => {
    expect(checkShellScript("reproduce.sh", "#!/usr/bin/env bash\nx=1\npython3 main.py\n", FILES)).toEqual([
      { line: 3, message: "line 3: shellcheck SC1089: Parsing stopped here. Is this keyword correctly matched up?" },
    ]);
  });
});
