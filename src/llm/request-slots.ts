import PQueue from "p-queue";

/** How long the first request of an announced burst waits for the others (see gatherBurst). */
let burstWindowMs: number | undefined;

/**
 * Many requests are about to arrive at once (a step that sends every file's work): the first
 * slots should go by priority, not to whichever request is ready first. The first request to reach
 * an idle model after this waits `ms` for the others; any other time a request starts at once.
 */
export function gatherBurst(ms = 20): void {
  burstWindowMs = ms;
}

/**
 * A model's request slots (the run's --concurrency): a freed slot goes to the waiting request of
 * highest priority (equal ones in arrival order), so that the files on the critical path are not
 * held behind the others.
 */
export class RequestSlots {
  private readonly queue: PQueue;
  private timer: NodeJS.Timeout | undefined;

  constructor(concurrency = Infinity) {
    this.queue = new PQueue({ concurrency, autoStart: false });
    this.queue.on("idle", () => this.queue.pause());
  }

  run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    const promise = this.queue.add(task, { priority }) as Promise<T>;
    if (this.queue.isPaused && !this.timer) {
      const wait = burstWindowMs;
      burstWindowMs = undefined;
      const start = () => {
        this.timer = undefined;
        this.queue.start();
      };
      if (wait) this.timer = setTimeout(start, wait);
      else start();
    }
    return promise;
  }
}
