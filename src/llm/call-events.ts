import { EventEmitter } from "node:events";

/** A model call as the live view shows it while it runs. */
export interface CallInFlight {
  id: number;
  agent: string;
  file?: string;
  startedAt: number;
}

/**
 * Calls starting and ending, for whoever watches the run in this process (the
 * CLI's live view): the graph's streamed updates arrive only when a node ends,
 * which for a call of several minutes is too late to show it.
 */
export const callEvents = new EventEmitter<{ start: [CallInFlight]; end: [CallInFlight] }>();
let nextId = 0;
export const newCallId = () => ++nextId;
