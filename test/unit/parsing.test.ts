import { describe, expect, it } from "vitest";
import { extractCode } from "../../src/parsing/code.js";
import { extractJson, readJson, ReplyParseError } from "../../src/parsing/json.js";
import { joinContinuation } from "../../src/llm/ask.js";
import { extractYaml } from "../../src/parsing/yaml.js";

const plan = { summary: "s", items: [1, 2], nested: { a: "x}y" } };

describe("extractJson over realistic reply shapes", () => {
  const cases: [string, string][] = [
    ["bare JSON", JSON.stringify(plan)],
    ["fence with json tag", "```json\n" + JSON.stringify(plan, null, 2) + "\n```"],
    ["fence without a tag", "```\n" + JSON.stringify(plan) + "\n```"],
    ["prose before and after", `Sure! Here is the plan:\n${JSON.stringify(plan)}\nLet me know if you need more.`],
    ["trailing commas", '{"summary": "s", "items": [1, 2,], "nested": {"a": "x}y",},}'],
    ["comments", '{\n  // the summary\n  "summary": "s", /* list */ "items": [1, 2],\n  "nested": {"a": "x}y"}\n}'],
    ["a <think> block first", `<think>The paper says {maybe} this.</think>\n${JSON.stringify(plan)}`],
    ["an unclosed fence", "```json\n" + JSON.stringify(plan)],
    ["single quotes", "{'summary': 's', 'items': [1, 2], 'nested': {'a': 'x}y'}}"],
    ["a truncated object closed by repair", '{"summary": "s", "items": [1, 2], "nested": {"a": "x}y"'],
  ];
  for (const [name, reply] of cases) {
    it(name, () => expect(extractJson(reply)).toEqual(plan));
  }

  it("prefers the fenced JSON over braces in the prose", () => {
    expect(extractJson('Use {curly} braces.\n```json\n{"a": 1}\n```')).toEqual({ a: 1 });
  });

  it("throws a ReplyParseError when there is no JSON at all", () => {
    expect(() => extractJson("I cannot help with that.")).toThrow(ReplyParseError);
  });
});

describe("extractCode", () => {
  const code = "import torch\n\n\ndef f(x):\n    return x\n";
  it("takes a python-tagged block", () => {
    expect(extractCode("```python\n" + code + "```", "model.py").code).toBe(code);
  });
  it("takes an untagged block with prose around it", () => {
    expect(extractCode("Here it is:\n```\n" + code + "```\nDone.", "model.py").code).toBe(code);
  });
  it("tolerates a missing closing fence", () => {
    const got = extractCode("```python\n" + code, "model.py");
    expect(got.code).toBe(code);
    expect(got.note).toContain("missing closing fence");
  });
  it("takes the block named for this file when there are several", () => {
    const reply = "### utils.py\n```python\nA = 1\n```\n\n### model.py\n```python\n" + code + "```";
    expect(extractCode(reply, "model.py").code).toBe(code);
    expect(extractCode(reply, "utils.py").code).toBe("A = 1\n");
  });
  it("reads a file name in the fence's info string", () => {
    const reply = '```python title="train.py"\nX = 2\n```\n```python title="model.py"\n' + code + "```";
    expect(extractCode(reply, "model.py").code).toBe(code);
  });
  it("prefers the block in the file's language over a shell example", () => {
    const reply = "```bash\npip install torch\n```\n```python\n" + code + "```";
    expect(extractCode(reply, "model.py").code).toBe(code);
  });
  it("uses a bare reply without fences", () => {
    expect(extractCode(code, "model.py").code).toBe(code);
  });
  it("drops a <think> block", () => {
    expect(extractCode("<think>plan the file</think>\n```python\n" + code + "```", "model.py").code).toBe(code);
  });
  it("rejects an empty reply and an empty block", () => {
    expect(() => extractCode("   ", "model.py")).toThrow(ReplyParseError);
    expect(() => extractCode("```python\n```", "model.py")).toThrow(ReplyParseError);
  });
  // Stray fences as models write them: the file must come out whole, with no fence line inside it.
  it.each([
    ["an empty block, then the file in a second block", "```python\n```\n\n```python\n" + code + "```"],
    ["an empty block whose closing fence reads as the file's opening one", "```python\n```\n" + code + "```"],
    ["an opening fence, then the block's real opening fence", "```\n```python\n" + code + "```"],
    ["a fence that opens and closes on one line", "```python```\n```python\n" + code + "```"],
    ["an empty block named for the file, then the file", "model.py\n```python\n```\nHere is the file:\n```python\n" + code + "```"],
  ])("a stray fence: %s", (_, reply) => {
    const got = extractCode(reply, "model.py");
    expect(got.code).toBe(code);
    expect(got.note).toContain("stray code fence dropped");
  });
  it("keeps fences that close one block and open the next", () => {
    const reply = "```python\nA = 1\n```\n```python\n" + code + "```";
    expect(extractCode(reply, "model.py")).toEqual({ code, note: "2 code blocks: took the one in the file's language" });
  });
  it("rejects code that is only for other files", () => {
    expect(() => extractCode("### utils.py\n```python\nA = 1\n```", "model.py")).toThrow(/other files/);
  });
});

describe("extractYaml", () => {
  it("keeps comments and parses a fenced document", () => {
    const got = extractYaml("```yaml\n# from the paper\ntraining:\n  lr: 1.0e-4  # Section 5.3\n```");
    expect(got.value).toEqual({ training: { lr: 0.0001 } });
    expect(got.text).toContain("# Section 5.3");
  });
  it("parses bare YAML after a <think> block", () => {
    expect(extractYaml("<think>hmm</think>\nmodel:\n  layers: 6\n").value).toEqual({ model: { layers: 6 } });
  });
  it("rejects invalid YAML with the parser's reason", () => {
    expect(() => extractYaml("```yaml\nmodel:\n  layers: 6\n   bad: [1, 2\n```")).toThrow(/invalid YAML/);
  });
  it("rejects duplicate keys and non-mappings", () => {
    expect(() => extractYaml("a: 1\na: 2\n")).toThrow(ReplyParseError);
    expect(() => extractYaml("- 1\n- 2\n")).toThrow(/mapping/);
  });
});

describe("readJson says what it tolerated", () => {
  it("a bare object or a lone fenced block is the expected form: nothing tolerated", () => {
    expect(readJson('{"a": 1}')).toEqual({ value: { a: 1 } });
    expect(readJson('```json\n{"a": 1}\n```')).toEqual({ value: { a: 1 } });
  });
  it("prose around the JSON and repaired syntax are reported", () => {
    expect(readJson('Here it is:\n{"a": 1}\nDone.').tolerated).toBe("text around the JSON");
    const repaired = readJson('{"a": 1,}');
    expect(repaired.value).toEqual({ a: 1 });
    expect(repaired.tolerated).toMatch(/^invalid JSON repaired/);
  });
});

describe("joinContinuation", () => {
  it("drops the fence a model reopens when it continues inside a code block", () => {
    expect(joinContinuation("```python\ndef f():\n    re", "```python\nturn 1\n```")).toBe("```python\ndef f():\n    return 1\n```");
  });
  it("keeps a fence that opens a new block after a closed one", () => {
    expect(joinContinuation("```python\nx = 1\n```\n", "```python\ny = 2\n```")).toBe("```python\nx = 1\n```\n```python\ny = 2\n```");
  });
});
