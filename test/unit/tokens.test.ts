import { describe, expect, it } from "vitest";
import { countTokens, tokensWithin } from "../../src/tokens.js";

describe("tokensWithin", () => {
  // Python as coders write it: indentation, identifiers and docstrings tokenize far from one token per byte.
  const source = Array.from(
    { length: 120 },
    (_, i) => `def step_${i}(value):\n    """Step ${i} of the method (Section 3)."""\n    return value + ${i}\n\n`,
  ).join("");

  it("agrees with the full count at, just under and just over the limit", () => {
    const tokens = countTokens(source);
    expect(tokens).toBeGreaterThan(1_500);
    expect(tokensWithin(source, tokens)).toBe(true);
    expect(tokensWithin(source, tokens + 1)).toBe(true);
    expect(tokensWithin(source, tokens - 1)).toBe(false);
    expect(tokensWithin(source, 1_500)).toBe(false);
  });

  it("takes a text of at most `limit` bytes as within it, multi-byte characters counted as bytes", () => {
    expect(tokensWithin("x = 1\n", 6)).toBe(true);
    const greek = "αβγδε ".repeat(40); // 440 bytes, far fewer tokens
    expect(countTokens(greek)).toBeLessThan(300);
    expect(tokensWithin(greek, 300)).toBe(true);
    expect(tokensWithin(greek, countTokens(greek) - 1)).toBe(false);
  });
});
