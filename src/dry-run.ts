import { costOf } from "./llm/prices.js";
import { loadPrompt } from "./prompts.js";
import { countTokens } from "./tokens.js";

/** Typical sizes in tokens of what the agents write, for an estimate before any call. */
const OUTPUT = { plan: 2000, architecture: 1500, logicPerFile: 300, config: 600, verdict: 500, analysis: 900, code: 1500, interface: 150 };
/** Files a file imports, on average: a coder sees each by its interface when long. */
const DEPENDENCIES_PER_FILE = 2;

export interface EstimateRow {
  stage: string;
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

interface EstimatedCall {
  /** The shared context the call starts with (see llm/context.ts), in order. */
  parts: string[];
  /** Its own material and task, after the shared context. */
  own: number;
  output: number;
}

/**
 * What a run would cost, before it is made: every call's prompt as the run
 * builds it (the team's rules and the paper, then the design parts the call
 * needs, then its own material) and a typical reply. A call's shared prefix is
 * billed as cached where an earlier call began with the same parts, when the
 * model's price has a cached rate and the prefix is long enough to be cached
 * (1,024 tokens). An estimate: the files and reply lengths are the model's to
 * choose; repair rounds, re-asks and refinements are not counted.
 */
/** A planning stage as the estimate sees it: what it reads, its prompt, the stages that come first. */
export interface EstimatedStage {
  name: string;
  reads: string[];
  prompt: string;
}

export function estimateRun(options: {
  model: string;
  paperTokens: number;
  files: number;
  rounds: Record<string, number>;
  planning: EstimatedStage[];
}): EstimateRow[] {
  const { files, rounds } = options;
  const head = countTokens(loadPrompt("system")) + options.paperTokens;
  const size: Record<string, number> = {
    plan: OUTPUT.plan,
    config: OUTPUT.config,
    architecture: OUTPUT.architecture,
    logic: OUTPUT.logicPerFile * files,
  };
  const template = (name: string) => countTokens(loadPrompt(name)) + countTokens(loadPrompt("json-reply"));
  const call = (parts: string[], own: number, output: number): EstimatedCall => ({ parts, own, output });
  const verify = (stage: string, parts: string[], shown: number) =>
    (rounds[stage] ?? 0) > 0 ? [call(parts, template("verifier") + shown, OUTPUT.verdict)] : [];
  const design = ["plan", "config", "architecture"];
  const stages: [string, EstimatedCall[]][] = [
    [
      "planning",
      options.planning.flatMap((stage) => {
        const output = size[stage.name] ?? OUTPUT.plan;
        return [call(stage.reads, template(stage.prompt), output), ...verify(stage.name, stage.reads, output)];
      }),
    ],
    [
      "analysis",
      Array.from({ length: files }, () => [
        call(design, template("analyst") + OUTPUT.logicPerFile, OUTPUT.analysis),
        ...verify("analysis", design, OUTPUT.analysis),
      ]).flat(),
    ],
    [
      "coding",
      Array.from({ length: files }, () =>
        call(["plan", "config"], template("coder") + OUTPUT.analysis + DEPENDENCIES_PER_FILE * OUTPUT.interface, OUTPUT.code),
      ),
    ],
  ];
  const rate = (cached: number) =>
    costOf(options.model, { calls: 1, inputTokens: 1_000_000, cachedInputTokens: cached, outputTokens: 0, reasoningTokens: 0 });
  const caches = (rate(1_000_000) ?? Infinity) < (rate(0) ?? 0);
  const prefixOf = (parts: string[]) => head + parts.reduce((n, p) => n + (size[p] ?? 0), 0);
  const seen: string[][] = [];
  return stages.map(([stage, calls]) => {
    const row: EstimateRow = { stage, calls: calls.length, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    for (const c of calls) {
      row.inputTokens += prefixOf(c.parts) + c.own;
      row.outputTokens += c.output;
      // The longest run of leading parts an earlier call shared (the paper at least, once any call was made).
      let shared = -1;
      for (const earlier of seen) {
        let k = 0;
        while (k < c.parts.length && k < earlier.length && c.parts[k] === earlier[k]) k++;
        shared = Math.max(shared, k);
      }
      const cached = shared >= 0 ? prefixOf(c.parts.slice(0, shared)) : 0;
      if (caches && cached >= 1024) row.cachedInputTokens += cached;
      seen.push(c.parts);
    }
    row.costUsd = costOf(options.model, { ...row, reasoningTokens: 0 });
    return row;
  });
}
