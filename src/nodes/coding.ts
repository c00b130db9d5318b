import { randomUUID } from "node:crypto";
import type { RunnableConfig } from "@langchain/core/runnables";
import { Send } from "@langchain/langgraph";
import { gatherBurst } from "../llm/request-slots.js";
import { codersWaitForAnalyses, readConfiguration, settingsOf } from "../configuration.js";
import { type FileTask, type PaperToCodeState, type PlannedFile } from "../state.js";
import { fileTask } from "../workspace/design.js";
import { transitiveDependencies } from "../workspace/written-files.js";

/**
 * Coding as a dataflow inside one LangGraph step: every file's coder node is
 * sent at once, and each waits until the files it depends on are written, so a
 * file starts as soon as its dependencies are done (not in waves). Each coder
 * node's result is saved by LangGraph when it ends; a resumed run skips those.
 *
 * The files tell each other they are written through markers in the run folder
 * (`.paper2code/coding/<batch>/`), so a resumed process sees what an earlier one
 * finished; `batch` is fixed when the coders are sent, new for every fork.
 * Waiting coders hold a LangGraph task each, so the graph must run without
 * LangGraph's maxConcurrency (the model client's queue bounds the requests).
 */
export function sendCoders(state: PaperToCodeState, config?: RunnableConfig): Send[] | "check_code" {
  const tasks = codingTasks(state, config);
  if (tasks.length > 1) gatherBurst();
  return tasks.length === 0 ? "check_code" : tasks.map((task) => new Send("coder", task));
}

/** The coding task of every file not written yet, with the files each waits for, under one new batch. */
export function codingTasks(state: PaperToCodeState, config?: RunnableConfig): FileTask[] {
  const files = (state.files ?? []).filter((f) => !state.code[f.path]);
  const batch = randomUUID();
  const all = (state.files ?? []).map((f) => f.path);
  const { schedule, context } = settingsOf(config);
  const sequential = schedule === "sequential";
  const full = context === "full";
  return files.map((file) => {
    const index = all.indexOf(file.path);
    // Full context shows every earlier file, so each file waits for all of them (the reference order);
    // the sequential schedule waits for the previous file as well.
    // The coder is shown the interfaces of indirect dependencies too: it waits for them as well.
    const waitFor = full
      ? all.slice(0, index)
      : [...transitiveDependencies(state.files!, file.path), ...(sequential && index > 0 ? [all[index - 1]!] : [])];
    return { ...fileTask(state, file.path), batch, waitFor: waitFor.filter((p) => all.includes(p)) };
  });
}

/**
 * Analysis and coding, file by file, without a barrier between them: each
 * file's work (analyst, then coder) is sent at once, and its coder starts as
 * soon as its own analysis is done and its dependencies are written, whatever
 * the other analyses are doing. A review of the analyses (or the sequential
 * reference schedule) keeps the barrier: every analysis, the gate, then the coders.
 */
export function sendFileWork(state: PaperToCodeState, config?: RunnableConfig): Send[] | string {
  const analysable = (f: PlannedFile) => !state.code[f.path] && (f.kind ?? "code") === "code";
  gatherBurst(); // every file's first request is about to be sent: the critical path's go first
  if (codersWaitForAnalyses(readConfiguration(config))) {
    const files = (state.files ?? []).filter(analysable);
    return files.length === 0 ? "analysis_ready" : files.map((f) => new Send("analysis", fileTask(state, f.path)));
  }
  const tasks = codingTasks(state, config);
  if (tasks.length === 0) return "check_code";
  const kinds = new Map((state.files ?? []).map((f) => [f.path, f.kind ?? "code"]));
  return tasks.map((task) => new Send("file", { ...task, kind: kinds.get(task.target) }));
}
