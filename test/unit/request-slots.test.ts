import { describe, expect, it } from "vitest";
import { gatherBurst, RequestSlots } from "../../src/llm/request-slots.js";
import { chainLength } from "../../src/workspace/design.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("request slots", () => {
  it("gives the first slots of a burst, and every freed slot, to the highest priority; equal priorities in arrival order", async () => {
    const slots = new RequestSlots(2);
    const started: string[] = [];
    const task = (name: string, ms: number) => async () => {
      started.push(name);
      await sleep(ms);
      return name;
    };
    // A burst sent at once, lowest priority first (as the analyses were before the critical path's coder).
    gatherBurst(15);
    const all = [
      slots.run(task("analysis a", 30), 2),
      slots.run(task("analysis b", 30), 2),
      slots.run(task("analysis c", 30), 2),
      slots.run(task("coder io (critical)", 30), 9),
      slots.run(task("analysis d", 30), 5),
    ];
    expect(await Promise.all(all)).toHaveLength(5);
    expect(started).toEqual(["coder io (critical)", "analysis d", "analysis a", "analysis b", "analysis c"]);
  });

  it("starts a request at once outside a burst, and never runs more than its concurrency", async () => {
    const slots = new RequestSlots(2);
    const t = Date.now();
    await slots.run(async () => "planner");
    expect(Date.now() - t).toBeLessThan(15); // no gathering window outside a burst
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        slots.run(async () => {
          most = Math.max(most, ++running);
          await sleep(5);
          running--;
        }, i),
      ),
    );
    expect(most).toBe(2);
  });
});

describe("a file's place on the critical path", () => {
  const files = [
    { path: "io.py", dependsOn: [] },
    { path: "config.py", dependsOn: ["io.py"] },
    { path: "model.py", dependsOn: ["config.py"] },
    { path: "train.py", dependsOn: ["model.py", "config.py"] },
    { path: "main.py", dependsOn: ["train.py"] },
    { path: "seed.py", dependsOn: [] },
    { path: "tests/test_model.py", dependsOn: ["model.py"] },
  ];
  it("is the longest chain of files waiting on it, itself included", () => {
    expect(chainLength(files, "io.py")).toBe(5);
    expect(chainLength(files, "model.py")).toBe(3);
    expect(chainLength(files, "main.py")).toBe(1);
    expect(chainLength(files, "seed.py")).toBe(1);
    expect(chainLength(files, "tests/test_model.py")).toBe(1);
  });
  it("ends on a cycle left in the design", () => {
    const cyclic = [
      { path: "a.py", dependsOn: ["b.py"] },
      { path: "b.py", dependsOn: ["a.py"] },
    ];
    expect(chainLength(cyclic, "a.py")).toBeGreaterThanOrEqual(1);
  });
});
