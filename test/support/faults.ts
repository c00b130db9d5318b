/**
 * The provider faults and malformed replies the fault-injection tests inject,
 * by name, with the kind of reply each applies to (a transient HTTP fault to
 * any call; a malformed JSON reply only to agents that answer JSON...).
 */
import { expect } from "vitest";
import { findFences } from "../../src/parsing/reply.js";
import type { CliResult } from "./cli.js";
import type { Fault, LoggedRequest } from "./scripted-server.js";

export type ReplyKind = "json" | "yaml" | "code";

export const replyKindOf = (rule: string | null): ReplyKind =>
  rule?.startsWith("coder:") ? "code" : rule === "config_writer" ? "yaml" : "json";

const fencedBody = (content: string) => findFences(content)[0]?.body ?? content;

export interface FaultCase {
  name: string;
  fault: Fault;
  /** Reply kinds the fault makes sense for (all when absent). */
  kinds?: ReplyKind[];
  /** How the pipeline gets past it once: retried by the client, a re-ask, a continuation, or absorbed by tolerant parsing. */
  survivedBy: "retry" | "reask" | "continuation" | "tolerated";
}

/** `stall` outlasts a client timeout of 2 s (the tests pass --timeout 2). */
export const FAULTS: FaultCase[] = [
  { name: "429 with Retry-After", fault: { status: 429, headers: { "retry-after": "1" } }, survivedBy: "retry" },
  { name: "429 without Retry-After", fault: { status: 429 }, survivedBy: "retry" },
  { name: "500", fault: { status: 500 }, survivedBy: "retry" },
  { name: "502", fault: { status: 502 }, survivedBy: "retry" },
  { name: "503", fault: { status: 503 }, survivedBy: "retry" },
  { name: "connection reset mid-response", fault: { kind: "reset" }, survivedBy: "retry" },
  { name: "timeout", fault: { kind: "stall", ms: 2600 }, survivedBy: "retry" },
  { name: "HTML error page with status 200", fault: { kind: "html" }, survivedBy: "retry" },
  { name: "empty choices", fault: { kind: "empty-choices" }, survivedBy: "retry" },
  {
    name: "finish_reason length (code)",
    fault: { kind: "finish", reason: "length", keep: 0.5 },
    kinds: ["code"],
    survivedBy: "continuation",
  },
  {
    name: "finish_reason length (JSON)",
    fault: { kind: "finish", reason: "length", keep: 0.5 },
    kinds: ["json", "yaml"],
    survivedBy: "reask",
  },
  { name: "content-filter refusal", fault: { kind: "finish", reason: "content_filter", keep: 0.1 }, survivedBy: "reask" },
  {
    name: "prose around JSON",
    fault: {
      kind: "content",
      label: "prose",
      transform: (c) => `Sure! Here is the answer you asked for:\n\n${c}\n\nLet me know if anything should change.`,
    },
    kinds: ["json"],
    survivedBy: "tolerated",
  },
  {
    name: "JSON with comments and a trailing comma",
    fault: { kind: "content", label: "comments", transform: (c) => `// answer\n${fencedBody(c).replace(/\}\s*$/, ",\n}")}` },
    kinds: ["json"],
    survivedBy: "tolerated",
  },
  {
    name: "no JSON at all",
    fault: { kind: "content", label: "no-json", transform: () => "I have read the paper and I think the plan looks fine." },
    kinds: ["json"],
    survivedBy: "reask",
  },
  {
    name: "YAML error",
    fault: { kind: "content", label: "bad-yaml", transform: () => "```yaml\nmodel: [hidden_units: 4\n  steps: : 5\n```" },
    kinds: ["yaml"],
    survivedBy: "reask",
  },
  {
    name: "code without a fence",
    fault: { kind: "content", label: "no-fence", transform: (c) => fencedBody(c) },
    kinds: ["code"],
    survivedBy: "tolerated",
  },
  {
    name: "code for the wrong file",
    fault: {
      kind: "content",
      label: "wrong-file",
      transform: () => "### other_module.py\n```python\nprint('not the file asked for')\n```",
    },
    kinds: ["code"],
    survivedBy: "reask",
  },
];

export const faultNamed = (name: string) => FAULTS.find((f) => f.name === name)!;

/** Faults that fit the request's reply kind. */
export const faultsFor = (request: LoggedRequest) => FAULTS.filter((f) => !f.kinds || f.kinds.includes(replyKindOf(request.rule)));

/** What a failed run must print: the reason in one line, run.json, and how to resume; never a stack trace or a TypeError. */
export function expectClearFailure(result: CliResult) {
  expect(result.code, result.stderr).toBe(5);
  expect(result.stderr).toMatch(
    /run failed: .+\n {2}details: .+run\.json\n {2}to retry from where it stopped: paper2code resume [0-9a-f-]{36}/,
  );
  expect(result.stderr).not.toMatch(/TypeError|Cannot read propert|\n\s+at /);
}
