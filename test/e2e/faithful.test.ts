/**
 * Faithfulness checks end to end against the scripted server: a config value the
 * paper states nowhere goes to the config refiner; a config key the logic design
 * names that config.yaml does not have goes to the logic refiner (or is reported).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { TINY_CODE, TINY_CONFIG_YAML, logicDesign, tinyRules } from "../fixtures/tiny-replies.js";
import { runArgs, runCli } from "../support/cli.js";
import { TINY_PAPER } from "../support/node-state.js";
import { startScriptedServer, taskIs, type Rule } from "../support/scripted-server.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p2c-faithful-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const yamlReply = (extra: string) => `\`\`\`yaml\n${TINY_CONFIG_YAML}${extra}\`\`\``;

async function run(name: string, overrides: Rule[], extra: string[] = []) {
  const replaced = new Set(overrides.map((r) => r.name));
  const server = await startScriptedServer([...overrides, ...tinyRules().filter((r) => !replaced.has(r.name))]);
  const out = join(dir, name);
  try {
    const r = await runCli([...runArgs(TINY_PAPER, "vllm:m", server.baseUrl, out, join(dir, `${name}.sqlite`)), ...extra]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(out, "run.json"), "utf8"));
    return { out, report, requests: server.requests, stderr: r.stderr };
  } finally {
    await server.close();
  }
}

describe("a config value the paper states nowhere", () => {
  it("is a high-severity problem that reaches the refiner; the refined config.yaml is traced in full", async () => {
    const invented = yamlReply("  weight_decay: 0.01  # Section 3\n");
    const result = await run("invented", [
      { name: "config_writer", match: taskIs("config.yaml"), reply: invented },
      { name: "refine:config", match: taskIs("revise the config"), reply: yamlReply("") },
    ]);
    const first = JSON.parse(await readFile(join(result.out, "artifacts/reviews/config/round-0-verdict.json"), "utf8"));
    expect(first.action).toBe("refine");
    expect(first.issues).toContainEqual(
      expect.objectContaining({ severity: "high", location: "config.yaml: training.weight_decay", source: "check" }),
    );
    const refine = result.requests.filter((r) => r.rule === "refine:config");
    expect(refine).toHaveLength(1);
    expect(refine[0]!.task).toMatch(
      /training\.weight_decay = 0\.01 \(commented "Section 3"\): the paper states 0\.01 nowhere; an invented value\?/,
    );
    expect(parse(await readFile(join(result.out, "repo/config.yaml"), "utf8")).training.weight_decay).toBeUndefined();
    const provenance = JSON.parse(await readFile(join(result.out, "artifacts/provenance.json"), "utf8"));
    expect(provenance.counts).toEqual({ cited: 5, elsewhere: 0, unsupported: 0, choice: 0, unchecked: 0 });
    expect(result.report.provenance).toEqual({ counts: provenance.counts, unsupported: [], miscited: [] });
    const readme = await readFile(join(result.out, "repo/README.md"), "utf8");
    expect(readme).toContain("## Provenance");
    expect(readme).toContain("| `training.learning_rate` | 0.5 | Section 3 | as cited |");
  });

  it("stays reported in the README, run.json and the notes when refinement is off", async () => {
    const result = await run(
      "invented-off",
      [{ name: "config_writer", match: taskIs("config.yaml"), reply: yamlReply("  weight_decay: 0.01  # Section 3\n") }],
      ["--refine", "0"],
    );
    expect(result.report.provenance.unsupported).toEqual(["training.weight_decay"]);
    expect(result.report.notes.join("\n")).toMatch(/provenance: 1 config value\(s\) the paper states nowhere: training\.weight_decay/);
    expect(await readFile(join(result.out, "repo/README.md"), "utf8")).toContain(
      "| `training.weight_decay` | 0.01 | Section 3 | NOT in the paper (the paper states 0.01 nowhere) |",
    );
  });
});

describe("a logic design that names config keys config.yaml does not have", () => {
  const drifted = {
    ...logicDesign,
    files: logicDesign.files.map((f) =>
      f.path === "train.py"
        ? {
            ...f,
            logic:
              "train(config, seed): reads config['training']['lr'] and config['training']['num_steps'], runs gradient descent, returns accuracy.",
          }
        : f,
    ),
  };
  const reconciled = {
    ...logicDesign,
    files: logicDesign.files.map((f) =>
      f.path === "train.py"
        ? {
            ...f,
            logic: "train(config, seed): reads config['training']['learning_rate'] and config['training']['steps'], runs gradient descent.",
          }
        : f,
    ),
  };

  it("sends the mismatch to the logic refiner once; the design ends using config.yaml's keys", async () => {
    const result = await run("drifted", [
      { name: "logic_designer", match: taskIs("the logic design"), reply: JSON.stringify(drifted) },
      { name: "refine:logic", match: taskIs("revise the logic"), reply: JSON.stringify(reconciled) },
    ]);
    const refine = result.requests.filter((r) => r.rule === "refine:logic");
    expect(refine).toHaveLength(1);
    expect(refine[0]!.task).toContain(
      "names config key training.lr, which config.yaml does not have (config.yaml has training.learning_rate)",
    );
    expect(refine[0]!.task).toContain(
      "names config key training.num_steps, which config.yaml does not have (config.yaml has training.steps)",
    );
    const logic = JSON.parse(await readFile(join(result.out, "artifacts/logic.json"), "utf8"));
    expect(logic.files.find((f: { path: string }) => f.path === "train.py").logic).toContain("config['training']['learning_rate']");
    expect(result.report.notes.join("\n")).not.toMatch(/disagree/);
    expect(result.stderr).toMatch(/design vs config\s+2 config key\(s\) the design names are not in config\.yaml/);
    expect(result.stderr).toMatch(/design vs config\s+the design uses config\.yaml's keys/);
    // The analysts read the reconciled design.
    const analyst = result.requests.find((r) => r.rule === "analyst:train.py")!;
    expect(analyst.task).toContain("config['training']['learning_rate']");
  });

  it("reports the mismatch, with config.yaml's key, when the logic stage does not refine", async () => {
    const result = await run(
      "drifted-off",
      [{ name: "logic_designer", match: taskIs("the logic design"), reply: JSON.stringify(drifted) }],
      ["--refine", "logic=0"],
    );
    expect(result.requests.filter((r) => r.rule?.startsWith("refine"))).toEqual([]);
    expect(result.report.notes.join("\n")).toMatch(
      /design and config\.yaml disagree on 2 key path\(s\): train\.py: training\.lr \(config\.yaml: training\.learning_rate\); train\.py: training\.num_steps \(config\.yaml: training\.steps\)/,
    );
  });
});

describe("a static-check finding the coder disputes", () => {
  // main.py fills config["derived"] through a helper the check cannot follow; the read is right.
  const main = TINY_CODE["main.py"]!.replace(
    "    for seed in config['training']['seeds']:",
    "    config.update(derived_settings(config))\n    print(config['derived']['total_steps'])\n    for seed in config['training']['seeds']:",
  ).replace(
    "def main():",
    "def derived_settings(config):\n    return {'derived': {'total_steps': config['training']['steps'] * 5}}\n\n\ndef main():",
  );
  const fence = (code: string) => "```python\n" + code + "```";

  it("is recorded with the coder's reason, the file kept, and not sent back again", async () => {
    const result = await run("disputed", [
      { name: "coder:main.py", match: taskIs("write `main.py`"), reply: fence(main) },
      {
        name: "repair:main.py",
        match: taskIs("fix `main.py`"),
        reply: `NOT A PROBLEM: config['derived']['total_steps'] reads config key derived, which config.yaml does not have -- derived_settings() adds it with config.update() two lines above\n\n${fence(main)}`,
      },
    ]);
    expect(result.requests.filter((r) => r.rule === "repair:main.py")).toHaveLength(1);
    const repairTask = result.requests.find((r) => r.rule === "repair:main.py")!.task;
    expect(repairTask).toContain("NOT A PROBLEM: <the problem as listed> -- <why>");
    expect(await readFile(join(result.out, "repo/main.py"), "utf8")).toBe(main);
    expect(result.report.checks.disputed).toEqual([
      expect.objectContaining({
        file: "main.py",
        check: "config-key",
        reason: "derived_settings() adds it with config.update() two lines above",
      }),
    ]);
    expect(result.report.checks.issues).toEqual([
      expect.objectContaining({ file: "main.py", disputed: "derived_settings() adds it with config.update() two lines above" }),
    ]);
    expect(result.report.notes.join("\n")).toContain("main.py: the coder disputes [config-key]");
    expect(result.report.notes.join("\n")).not.toMatch(/code checks: \d+ problem\(s\) remain/);
    expect(result.stderr).toMatch(/static checks: 1 finding\(s\) disputed by the coder and kept as written/);
  });
});
