import { describe, expect, it } from "vitest";
import { disputesIn } from "../../agents/coder.js";
import type { CodeIssue } from "../../src/checks/repo.js";

const issues: CodeIssue[] = [
  { check: "config-key", file: "main.py", line: 12, message: "cfg['_meta'] reads config key _meta, which config.yaml does not have" },
  { check: "imported-name", file: "main.py", line: 3, message: "imports helper from utils.py, which does not define it" },
];

describe("findings a repairing coder disputes", () => {
  it("matches a loosely quoted problem, with or without the line and check label, and keeps the reason", () => {
    const reply = [
      "- NOT A PROBLEM: line 12: [config-key] cfg['_meta'] reads config key _meta, which config.yaml lacks -- main() writes cfg['_meta'] on line 10 before reading it",
      "",
      "```python",
      "print(1)",
      "```",
    ].join("\n");
    expect(disputesIn(reply, issues)).toEqual([{ issue: issues[0], reason: "main() writes cfg['_meta'] on line 10 before reading it" }]);
  });

  it("ignores such lines inside the code, and claims that match no listed problem", () => {
    const reply = [
      "NOT A PROBLEM: the learning rate is too high -- the paper says so",
      "```python",
      "# NOT A PROBLEM: imports helper from utils.py, which does not define it -- it does",
      "```",
    ].join("\n");
    expect(disputesIn(reply, issues)).toEqual([]);
  });
});
