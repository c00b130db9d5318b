import type { RunnableConfig } from "@langchain/core/runnables";
import { classifyFailure } from "../execution/classify.js";
import {
  DEFAULT_DEBUG_ROUNDS,
  DEFAULT_SMOKE_COMMAND,
  DEFAULT_SMOKE_TIMEOUT,
  ensureVenv,
  isolationFor,
  pythonFor,
  requirementsHash,
  runSandboxed,
} from "../execution/runner.js";
import type { ExecutionEnvironment, SmokeRun } from "../execution/record.js";
import { writeReportHtml } from "../report/run-page.js";
import { writeRunReport } from "../run-report.js";
import { readConfiguration } from "../configuration.js";
import type { PaperToCodeState } from "../state.js";
import { readRepoFile, repoDir, writeArtifact } from "../workspace/writer.js";
import { repositoryFiles } from "./plan-files.js";

const INSTALL_TIMEOUT_MS = 30 * 60_000;

const linesOf = (text: string) => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

/**
 * Run the smoke test (opt-in: only when the run's input asks for execution):
 * make the Python environment once, install requirements.txt when it changed,
 * then `bash reproduce.sh --smoke` in the sandbox with a time limit. The
 * output goes to artifacts/debug/round-<n>/smoke.log; a failure is classified.
 */
export async function smokeRunNode(state: PaperToCodeState, config?: RunnableConfig) {
  const request = state.execute!;
  const outDir = state.outDir!;
  const repo = repoDir(outDir);
  const notes: string[] = [];
  const python = pythonFor(outDir, request);
  let environment: ExecutionEnvironment = state.execution ?? {
    isolation: isolationFor(request),
    python,
    // The share of modified lines is measured against every file the run wrote.
    linesBefore: repositoryFiles(state).reduce((n, path) => n + linesOf(readRepoFile(outDir, path) ?? ""), 0),
  };
  if (!request.python) ensureVenv(outDir);
  const run = (command: string[], network: boolean, timeoutMs: number) =>
    runSandboxed(command, { outDir, cwd: repo, python, isolation: environment.isolation, network, timeoutMs, signal: config?.signal });

  const requirements = requirementsHash(outDir);
  if (request.install !== false && environment.installedRequirements !== requirements) {
    const installed = await run(
      [python, "-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements.txt"],
      true,
      INSTALL_TIMEOUT_MS,
    );
    const log = await writeArtifact(outDir, `debug/install-${requirements}.log`, installed.output);
    if (installed.exitCode === 0) environment = { ...environment, installedRequirements: requirements };
    else notes.push(`pip install -r requirements.txt failed (exit ${installed.exitCode}); see ${log}`);
  }

  const round = state.smokeRuns.length;
  const command = request.command ?? DEFAULT_SMOKE_COMMAND;
  const result = await run(command, false, (request.timeoutSeconds ?? DEFAULT_SMOKE_TIMEOUT) * 1000);
  const log = `debug/round-${round}/smoke.log`;
  await writeArtifact(
    outDir,
    log,
    `$ ${command.join(" ")}\n${result.output}\n[exit ${result.exitCode}${result.timedOut ? ", killed at the time limit" : ""}, ${result.durationMs} ms]\n`,
  );
  const passed = result.exitCode === 0 && !result.timedOut;
  const smoke: SmokeRun = {
    round,
    command,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    passed,
    durationMs: result.durationMs,
    log: `artifacts/${log}`,
    ...(passed
      ? {}
      : {
          failure: classifyFailure(result.output, {
            timedOut: result.timedOut,
            repoDir: repo,
            repoFiles: new Set(repositoryFiles(state).concat(state.debugRounds.flatMap((r) => r.edits.map((e) => e.path)))),
            configKeys: state.configYaml?.keys ?? [],
          }),
        }),
  };
  notes.push(
    passed ? `smoke run passed (round ${round})` : `smoke run failed (round ${round}): [${smoke.failure!.kind}] ${smoke.failure!.summary}`,
  );
  return { execution: environment, smokeRuns: [smoke], notes };
}

/** After a smoke run: done when it passed, when the debugger rounds are used up, or when the debugger had nothing to apply. */
export function afterSmokeRun(state: PaperToCodeState): "debugger" | "execution_report" {
  const last = state.smokeRuns.at(-1);
  const rounds = state.execute?.rounds ?? DEFAULT_DEBUG_ROUNDS;
  const used = state.debugRounds.length - (state.execute?.roundsFrom ?? 0);
  if (!last || last.passed || used >= rounds || (used > 0 && state.debugRounds.at(-1)?.error)) return "execution_report";
  return "debugger";
}

/** The execution stage's record in run.json. */
export async function executionReportNode(state: PaperToCodeState, config?: RunnableConfig) {
  await writeRunReport(state.outDir!, state, { threadId: readConfiguration(config).thread_id });
  if (readConfiguration(config).report !== false) await writeReportHtml(state.outDir!);
  return {};
}
