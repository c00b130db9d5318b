import { costOf } from "./llm/prices.js";
import { loadPrompt } from "./prompts.js";
import type { RefineStage } from "./refine-settings.js";
import { countTokens } from "./tokens.js";

/** Typical sizes in tokens of what the agents write, for an estimate before any call. */
const OUTPUT = { plan: 2000, architecture: 1500, logicPerFile: 300, config: 600, verdict: 500, analysis: 900, code: 1500 };
/** Direct dependencies a file's coder reads in full, on average. */
const DEPENDENCIES_PER_FILE = 2;

export interface EstimateRow {
  stage: string;
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

/**
 * What a run would cost, before it is made: every call's prompt (the shared
 * prefix with the paper, the agent's template, the artifacts it is shown) and a
 * typical reply, with the prefix billed as cached after the first call when the
 * model's price has a cached rate. An estimate: the files and reply lengths are
 * the model's to choose; repair rounds are not counted.
 */
export function estimateRun(options: { model: string; paperTokens: number; files: number; rounds: Record<RefineStage, number> }): EstimateRow[] {
  const { files, rounds } = options;
  const prefix = countTokens(loadPrompt("system")) + options.paperTokens;
  const template = (name: string) => countTokens(loadPrompt(name)) + countTokens(loadPrompt("json-reply"));
  const logic = OUTPUT.logicPerFile * files;
  const planning = OUTPUT.plan + OUTPUT.architecture + OUTPUT.config;
  const call = (task: number, output: number) => ({ input: prefix + task, output });
  const verify = (stage: RefineStage, shown: number) => (rounds[stage] > 0 ? [call(template("verifier") + shown, OUTPUT.verdict)] : []);
  const stages: [string, { input: number; output: number }[]][] = [
    [
      "planning",
      [
        call(template("planner"), OUTPUT.plan),
        ...verify("plan", OUTPUT.plan),
        call(template("architect") + OUTPUT.plan, OUTPUT.architecture),
        ...verify("architecture", OUTPUT.architecture),
        call(template("logic-designer") + OUTPUT.plan + OUTPUT.architecture, logic),
        ...verify("logic", logic),
        call(template("config-writer") + OUTPUT.plan, OUTPUT.config),
        ...verify("config", OUTPUT.config),
      ],
    ],
    ["analysis", Array.from({ length: files }, () => [call(template("analyst") + planning + logic / files, OUTPUT.analysis), ...verify("analysis", OUTPUT.analysis)]).flat()],
    ["coding", Array.from({ length: files }, () => call(template("coder") + planning + OUTPUT.analysis + DEPENDENCIES_PER_FILE * OUTPUT.code, OUTPUT.code))],
  ];
  const cachedRate = costOf(options.model, { calls: 1, inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0, reasoningTokens: 0 });
  const caches = cachedRate !== undefined && cachedRate < (costOf(options.model, { calls: 1, inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 }) ?? 0);
  let first = true;
  return stages.map(([stage, calls]) => {
    const row: EstimateRow = { stage, calls: calls.length, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
    for (const c of calls) {
      row.inputTokens += c.input;
      row.outputTokens += c.output;
      // Providers cache a prefix once it has been sent: every call after the first reads the paper from the cache.
      if (caches && !first) row.cachedInputTokens += prefix;
      first = false;
    }
    row.costUsd = costOf(options.model, { ...row, reasoningTokens: 0 });
    return row;
  });
}
