import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Text } from "../src/text";
import { anyName } from "./name-arbitrary";

describe("Text.check", () => {
  it.each([
    ["  Head of Research ", 40, { ok: true, value: "Head of Research" }],
    ["Zoe\u0308", 3, { ok: true, value: "Zoë" }],
    ["x".repeat(41), 40, { ok: false, problem: "too_long" }],
    ["😀".repeat(40), 40, { ok: true, value: "😀".repeat(40) }],
    ["a\u200bb", 10, { ok: true, value: "a\u200bb" }],
    ["\u200b", 10, { ok: false, problem: "empty" }],
    ["a\nb", 10, { ok: false, problem: "control" }],
    ["\u202eab", 10, { ok: false, problem: "bidi" }],
    ["a\udc00", 10, { ok: false, problem: "malformed" }],
  ])("%j (at most %d) → %j", (input, maxLength, expected) => {
    const verdict = Text.check(input, "The title", maxLength);
    expect(
      verdict.ok ? { ok: true, value: verdict.value } : { ok: false, problem: verdict.problem },
    ).toEqual(expected);
  });

  it("labels its messages and names the field's own limit", () => {
    expect(Text.check("x".repeat(8), '"title"', 7)).toMatchObject({
      message: '"title" must be at most 7 characters.',
    });
  });
});

describe("Text.clean", () => {
  it("shortens to the field's limit and never gives a value its rule refuses", () => {
    fc.assert(
      fc.property(anyName, fc.integer({ min: 1, max: 80 }), (input, maxLength) => {
        const cleaned = Text.clean(input, maxLength);
        if (cleaned === undefined) return;
        expect(Text.check(cleaned, "v", maxLength)).toEqual({ ok: true, value: cleaned });
        const verdict = Text.check(input, "v", maxLength);
        if (verdict.ok) expect(cleaned).toBe(verdict.value);
      }),
      { numRuns: 2000 },
    );
    expect(Text.clean(`${"x".repeat(9)}🇫🇷`, 10)).toBe("x".repeat(9));
    expect(Text.clean(42, 10)).toBeUndefined();
  });
});
