/**
 * Lines at the bottom of the terminal, redrawn in place (log-update) from `text()` every second
 * and whenever asked; lines printed through `above` scroll up over it.
 */
export class LiveRegion {
  private constructor(
    private readonly render: ((text: string) => void) & { clear(): void; done(): void },
    private readonly text: () => string,
    private readonly timer: NodeJS.Timeout,
  ) {}

  static async open(text: () => string): Promise<LiveRegion> {
    const { createLogUpdate } = await import("log-update");
    const render = createLogUpdate(process.stderr, { showCursor: true });
    let region: LiveRegion | undefined = undefined;
    const timer = setInterval(() => region?.redraw(), 1000);
    timer.unref();
    region = new LiveRegion(render, text, timer);
    region.redraw();
    return region;
  }

  redraw() {
    this.render(this.text());
  }

  /** A line above the region. */
  above(line: string) {
    this.render.clear();
    process.stderr.write(`${line}\n`);
    this.redraw();
  }

  /** Stop redrawing: the region is erased, or with `keep` left as last drawn. */
  close({ keep = false } = {}) {
    clearInterval(this.timer);
    if (keep) this.redraw();
    else this.render.clear();
    this.render.done();
  }
}
