import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { ChildProcess } from "node:child_process";
import type { BeforeReply, LoggedRequest } from "./scripted-server.js";

/** Every file under `root`, as paths. */
export function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file under `root` (relative path -> text), for comparing two runs' outputs. */
export function treeContents(root: string): Record<string, string> {
  return Object.fromEntries(filesUnder(root).map((path) => [relative(root, path), readFileSync(path, "utf8")]));
}

/** A small seeded generator (mulberry32), so a failing trial can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kills a CLI process with SIGKILL at a chosen moment: when request number
 * `atRequest` of this attempt arrives, `afterMs` after the process started, or
 * as soon as the call journal holds `atJournal` replies.
 *
 * From that moment on the server answers nothing (it holds every request), so
 * the set of replies the client can have received is fixed. The killer waits
 * until each of those replies has reached the client's call journal (that is
 * what "received" means for the client; a reply still in a socket buffer at the
 * kill is, physically, not received), then a further `settleMs` during which
 * the client goes on with local work (writing files, saving checkpoints), then kills.
 */
export class Killer {
  private triggered = false;
  private child?: ChildProcess;
  private seen = 0;
  killed = false;
  /** Set when the client did not journal a reply it had received (the kill happens anyway). */
  problem?: string;
  readonly hook: BeforeReply;

  constructor(
    private readonly plan: { atRequest?: number; afterMs?: number; atJournal?: number; settleMs: number },
    private readonly completedKeys: () => Set<string>,
    private readonly journalCount: () => number,
  ) {
    this.hook = async (_request: LoggedRequest) => {
      this.seen += 1;
      if (this.plan.atRequest !== undefined && this.seen >= this.plan.atRequest) void this.trigger();
      if (!this.triggered) return "answer";
      await this.untilKilled();
      return "drop";
    };
  }

  attach(child: ChildProcess) {
    this.child = child;
    if (this.plan.afterMs !== undefined) setTimeout(() => void this.trigger(), this.plan.afterMs);
    const atJournal = this.plan.atJournal;
    if (atJournal !== undefined) {
      // Right after the n-th reply is journaled: the node that asked has not finished, its result is not saved yet.
      const poll = setInterval(() => {
        if (this.triggered || child.exitCode !== null) clearInterval(poll);
        else if (this.journalCount() >= atJournal) {
          clearInterval(poll);
          void this.trigger();
        }
      }, 1);
    }
  }

  private async trigger() {
    if (this.triggered) return;
    this.triggered = true;
    const expected = this.completedKeys().size;
    for (let waited = 0; this.journalCount() < expected; waited += 5) {
      if (waited > 5_000) {
        this.problem = `the client journaled ${this.journalCount()} of the ${expected} replies it received`;
        break;
      }
      await sleep(5);
    }
    await sleep(this.plan.settleMs);
    if (this.child && this.child.exitCode === null) {
      this.child.kill("SIGKILL");
      this.killed = true;
    }
  }

  private async untilKilled() {
    while (!this.killed && this.child?.exitCode === null) await sleep(5);
  }
}
