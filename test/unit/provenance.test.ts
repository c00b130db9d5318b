import { describe, expect, it } from "vitest";
import { finishPaper } from "../../src/paper/load.js";
import { checkProvenance, configEntries, renderProvenanceTable } from "../../src/provenance/check.js";
import { mentionStates, numbersIn } from "../../src/provenance/numbers.js";
import { citationsIn, PaperIndex } from "../../src/provenance/paper-index.js";
import { checkConfig, provenanceIssues } from "../../agents/config-writer/index.js";

const paper = finishPaper({
  title: "A Paper",
  abstract: "We train a small transformer.",
  sections: [
    { level: 1, heading: "5 Training", text: "This section describes the training regime." },
    {
      level: 2,
      heading: "5.3 Optimizer",
      text: "We used Adam with β1 = 0.9 and β2 = 0.98. The learning rate is 1 × 10^{-4}, warmed up over the first 10% of steps.",
    },
    { level: 2, heading: "5.4 Regularization", text: "We apply label smoothing of value ϵ_ls = 0.1 (Eq. 4).\n\nL = (1 - ϵ) CE + ϵ U (4)" },
    {
      level: 1,
      heading: "6 Results",
      text: "Table 3: Variations.\n\n| | N | P_drop | train steps |\n| --- | --- | --- | --- |\n| base | 6 | 0.1 | 100K |",
    },
  ],
  appendix: [
    { level: 1, heading: "B Hyperparameters", text: "Details follow." },
    { level: 2, heading: "B.2 Sampling", text: "We sample with top-p of 0.9 and 4,000 warmup steps." },
    { level: 3, heading: "I.1 Responses", text: "Each prompt gets 7-10 responses." },
  ],
  captions: ["Table 3: Variations."],
  references: [],
  warnings: [],
  source: { kind: "markdown", path: "x.md" },
});

const CONFIG = `model:
  layers: 6            # Table 3
  dropout: 0.1         # Table 3
training:
  optimizer: adam      # Section 5.3
  lr: 0.0001           # Section 5.3
  lr_sci: 1.0e-4       # Sec. 5.3
  warmup_ratio: 0.1    # Section 5.3
  beta2: 0.98          # Section 5.4
  steps: 100000        # Table 3
  warmup_steps: 4000   # Appendix B.2
  label_smoothing: 0.1 # Eq. 4
  weight_decay: 0.01   # Section 5.3
  hidden: 777
  seed: 1234           # not in the paper: implementer's choice
  use_amp: true
  data_dir: data/wmt14 # implementer's choice
sampling:
  top_p: 0.9           # Appendix B.2
  responses: [7, 10]   # Appendix I.1
  max_tokens: 64       # Section 9
smoke:
  training.steps: 2    # smoke test only
`;

describe("numbers in any notation", () => {
  it.each([
    ["1e-4", 0.0001],
    ["1.0e-4", 0.0001],
    ["10^-4", 0.0001],
    ["10^{-4}", 0.0001],
    ["1 × 10^{−4}", 0.0001],
    ["$3\\times10^{-4}$", 0.0003],
    ["0.0001", 0.0001],
    ["4,000", 4000],
    ["4k", 4000],
    ["100K", 100000],
    ["10%", 0.1],
    ["10%", 10],
  ])("%s states %d", (text, value) => {
    expect(numbersIn(text).some((m) => mentionStates(m, value))).toBe(true);
  });
  it("does not read a hyphen as a minus sign, or a list as thousands", () => {
    expect(numbersIn("7-10 responses").map((m) => m.value)).toEqual([7, 10]);
    expect(numbersIn("ResNet-50").map((m) => m.value)).toEqual([50]);
    expect(numbersIn("dims 512,1024").map((m) => m.value)).toEqual([512, 1024]);
    expect(numbersIn("x = -0.5").map((m) => m.value)).toEqual([-0.5]);
  });
});

describe("citations", () => {
  it("reads the places a comment cites", () => {
    expect(citationsIn("Section 5.3 and Table 3 (Appendix B.2), Eq. (4)").map((c) => `${c.kind}:${c.id}`)).toEqual([
      "appendix:B.2",
      "section:5.3",
      "table:3",
      "equation:4",
    ]);
    expect(citationsIn("§3.1, Sec. B.1").map((c) => `${c.kind}:${c.id}`)).toEqual(["section:3.1", "appendix:B.1"]);
  });
  it("resolves a section with its subsections, an appendix part, a table and an equation", () => {
    const index = new PaperIndex(paper);
    const text = (kind: "section" | "appendix" | "table" | "equation", id: string) =>
      index
        .resolve({ kind, id, text: id })
        .map((s) => index.text.slice(s.start, s.end))
        .join("\n");
    expect(text("section", "5")).toContain("label smoothing");
    expect(text("section", "5.3")).not.toContain("label smoothing");
    expect(text("appendix", "B.2")).toContain("top-p of 0.9");
    expect(text("table", "3")).toContain("| base | 6 | 0.1 | 100K |");
    expect(text("equation", "4")).toContain("ϵ U");
    expect(index.resolve({ kind: "section", id: "9", text: "Section 9" })).toEqual([]);
  });
});

describe("checkProvenance on planted values", () => {
  const report = checkProvenance(CONFIG, paper);
  const status = (key: string) => report.entries.find((e) => e.key === key);

  it("reads every setting with its comment, the smoke section left out", () => {
    expect(configEntries(CONFIG).map((e) => e.key)).not.toContain("smoke.training.steps");
    expect(status("training.lr")).toMatchObject({ comment: "Section 5.3", line: 6 });
  });

  it.each([
    ["model.layers", "cited"],
    ["model.dropout", "cited"],
    ["training.optimizer", "cited"],
    ["training.lr", "cited"],
    ["training.lr_sci", "cited"],
    ["training.warmup_ratio", "cited"],
    ["training.steps", "cited"],
    ["training.warmup_steps", "cited"],
    ["training.label_smoothing", "cited"],
    ["sampling.top_p", "cited"],
    ["sampling.responses", "cited"],
    ["training.beta2", "elsewhere"],
    ["sampling.max_tokens", "unsupported"],
    ["training.weight_decay", "unsupported"],
    ["training.hidden", "unsupported"],
    ["training.seed", "choice"],
    ["training.data_dir", "choice"],
    ["training.use_amp", "unchecked"],
  ])("%s: %s", (key, expected) => {
    expect(status(key)?.status, JSON.stringify(status(key))).toBe(expected);
  });

  it("names where a miscited value is stated, and counts every status", () => {
    expect(status("training.beta2")).toMatchObject({ foundAt: "Section 5.3", note: "Section 5.4 does not state it" });
    expect(report.counts).toEqual({ cited: 11, elsewhere: 1, unsupported: 3, choice: 2, unchecked: 1 });
  });

  it("turns invented values into high-severity problems for the refiner, a wrong citation into a low one", () => {
    const issues = provenanceIssues(report);
    const high = issues.filter((i) => i.severity === "high").map((i) => i.location);
    expect(high.sort()).toEqual(["config.yaml: sampling.max_tokens", "config.yaml: training.hidden", "config.yaml: training.weight_decay"]);
    expect(issues.find((i) => i.location === "config.yaml: training.weight_decay")!.problem).toMatch(/0\.01.*nowhere; an invented value\?/);
    expect(issues.filter((i) => i.severity === "low").map((i) => i.problem)).toEqual([
      expect.stringMatching(/beta2 = 0\.98 cites Section 5\.4, but Section 5\.4 does not state it; the paper states it in Section 5\.3/),
    ]);
  });

  it("renders the README's table", () => {
    const table = renderProvenanceTable(report);
    expect(table).toContain("| `training.lr` | 0.0001 | Section 5.3 | as cited |");
    expect(table).toContain("| `training.hidden` | 777 | - | NOT in the paper (the paper states 777 nowhere) |");
    expect(table).toMatch(/11 as cited, 1 stated elsewhere than cited, 3 not in the paper, 2 implementer's choices, 1 not checked/);
  });
});

describe("the plan's settings in config.yaml, by value and meaning", () => {
  const config = { yaml: CONFIG, keys: [], valid: true };
  const plan = (hyperparameters: { name: string; value: string | number; source: string }[]) => ({
    summary: "s",
    components: [{ name: "c", description: "d" }],
    objectives: [],
    dataProcessing: "",
    evaluation: "",
    hyperparameters,
    unclear: [],
  });
  it("finds a range in a list, a number in another notation, a word among the values; skips the authors' compute", () => {
    const issues = checkConfig(
      config,
      plan([
        { name: "responses per prompt", value: "7-10 responses", source: "Appendix I.1" },
        { name: "learning rate", value: "1e-4", source: "Section 5.3" },
        { name: "optimizer", value: "Adam", source: "Section 5.3" },
        { name: "training compute", value: "3.5 days on 8 P100 GPUs", source: "Section 5.2" },
        { name: "GPU hours", value: 12000, source: "Table 2" },
      ]),
    );
    expect(issues).toEqual([]);
  });
  it("still reports a setting that is not there", () => {
    const issues = checkConfig(config, plan([{ name: "beam size", value: 4, source: "Section 6.1" }]));
    expect(issues.map((i) => i.problem)).toEqual(["the plan's setting beam size = 4 (Section 6.1) is not in config.yaml"]);
  });
});
