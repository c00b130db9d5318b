import { EventEmitter } from "node:events";

/**
 * Each node update of every run this process drives, tagged with its thread:
 * what `batch` watches to show many runs at once (each run's own progress lines are off there).
 */
export const runEvents = new EventEmitter<{ update: [threadId: string, node: string, update: Record<string, unknown>] }>();
