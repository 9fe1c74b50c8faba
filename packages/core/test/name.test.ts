import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Name } from "../src/name";
import { Text } from "../src/text";
import { anyName, satisfiesRule } from "./name-arbitrary";

const verdictOf = (input: string) => {
  const verdict = Name.check(input);
  return verdict.ok ? { ok: true, value: verdict.value } : { ok: false, problem: verdict.problem };
};

describe("Name.check", () => {
  it.each([
    ["Ada", { ok: true, value: "Ada" }],
    ["  Ada Lovelace\t", { ok: true, value: "Ada Lovelace" }],
    ["\u200bAda\ufeff", { ok: true, value: "Ada" }],
    ["Zoe\u0308", { ok: true, value: "Zoë" }],
    ["محمد", { ok: true, value: "محمد" }],
    ["Jean-Luc O'Neil", { ok: true, value: "Jean-Luc O'Neil" }],
    ["👩‍👩‍👧 🇫🇷", { ok: true, value: "👩‍👩‍👧 🇫🇷" }],
    ["x".repeat(50), { ok: true, value: "x".repeat(50) }],
    ["😀".repeat(50), { ok: true, value: "😀".repeat(50) }],
    ["x".repeat(51), { ok: false, problem: "too_long" }],
    ["😀".repeat(51), { ok: false, problem: "too_long" }],
    ["", { ok: false, problem: "empty" }],
    ["   ", { ok: false, problem: "empty" }],
    ["\u200b", { ok: false, problem: "empty" }],
    ["\u2060\u200d", { ok: false, problem: "empty" }],
    ["\u3164", { ok: false, problem: "empty" }],
    ["\u2800\u2800", { ok: false, problem: "empty" }],
    ["A\u0000da", { ok: false, problem: "control" }],
    ["\u0000", { ok: false, problem: "control" }],
    ["Ada\nLovelace", { ok: false, problem: "control" }],
    ["Ada\u2028Lovelace", { ok: false, problem: "control" }],
    ["Ada\u009b", { ok: false, problem: "control" }],
    ["\u202eadA", { ok: false, problem: "bidi" }],
    ["Ada\u2066x\u2069", { ok: false, problem: "bidi" }],
    ["Ada\u200f", { ok: false, problem: "bidi" }],
    ["\ud800", { ok: false, problem: "malformed" }],
    ["Ada\udfff", { ok: false, problem: "malformed" }],
    ["\u0301", { ok: false, problem: "no_base" }],
    ["\u0301\u0308\u0327", { ok: false, problem: "no_base" }],
    [" \u0301Ada", { ok: false, problem: "no_base" }],
    ["\ufe0f\u0301", { ok: false, problem: "no_base" }],
    ["\u3164\u0301", { ok: false, problem: "no_base" }],
    ["Ada \u0301", { ok: true, value: "Ada \u0301" }],
    ["A\u200bda", { ok: false, problem: "invisible" }],
    ["Ada\u2060", { ok: false, problem: "invisible" }],
    ["Ada\ufeffLovelace", { ok: false, problem: "invisible" }],
    ["Ad\u00ada", { ok: false, problem: "invisible" }],
    ["A\u2062da", { ok: false, problem: "invisible" }],
    ["A\u200dda", { ok: false, problem: "invisible" }],
    ["A\u200cda", { ok: false, problem: "invisible" }],
    ["\u200dAda", { ok: false, problem: "invisible" }],
    ["Ada\u200d 😀", { ok: false, problem: "invisible" }],
    ["😀\u200d", { ok: false, problem: "invisible" }],
    ["😀\u200dAda", { ok: false, problem: "invisible" }],
    ["Ada\u{e0067}", { ok: false, problem: "invisible" }],
    ["حسین\u200cزاده", { ok: true, value: "حسین\u200cزاده" }],
    ["क्\u200dष", { ok: true, value: "क्\u200dष" }],
    ["ශ්\u200dරී", { ok: true, value: "ශ්\u200dරී" }],
    ["കൃഷ്ണന്\u200d നായര്\u200d", { ok: true, value: "കൃഷ്ണന്\u200d നായര്\u200d" }],
    ["ᠬᠠᠷ\u180eᠠ", { ok: true, value: "ᠬᠠᠷ\u180eᠠ" }],
    ["👨🏽\u200d💻 🏳️\u200d🌈", { ok: true, value: "👨🏽\u200d💻 🏳️\u200d🌈" }],
    ["🏴󠁧󠁢󠁳󠁣󠁴󠁿", { ok: true, value: "🏴󠁧󠁢󠁳󠁣󠁴󠁿" }],
  ])("%j → %j", (input, expected) => {
    expect(verdictOf(input)).toEqual(expected);
  });

  it("counts characters (code points) after NFC, not UTF-16 units", () => {
    expect(Text.length("😀")).toBe(1);
    expect(Name.check(`${"e\u0301".repeat(50)}`)).toEqual({ ok: true, value: "é".repeat(50) });
  });

  it.each([
    ["\ud800", '"firstName" contains a broken character (an unpaired UTF-16 surrogate).'],
    ["\u0000", '"firstName" must not contain control characters or line breaks.'],
    [
      "\u202e",
      '"firstName" must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).',
    ],
    ["\u200b", '"firstName" must contain at least one visible character.'],
    ["x".repeat(51), '"firstName" must be at most 50 characters.'],
    [
      "A\u200bda",
      '"firstName" must not contain zero-width or other invisible formatting characters (such as U+200B, U+2060 or U+00AD); U+200C and U+200D only within a script or an emoji sequence that joins with them.',
    ],
    [
      "\u0301",
      '"firstName" must have a letter or another character before its first combining mark (such as an accent).',
    ],
  ])("labels its message for %j", (input, message) => {
    expect(Name.check(input, '"firstName"')).toMatchObject({ ok: false, message });
  });

  it("says 'The name' when no label is given", () => {
    expect(Name.check("")).toMatchObject({
      message: "The name must contain at least one visible character.",
    });
  });

  it("accepts only values that satisfy the rule, and returns them unchanged when checked again", () => {
    fc.assert(
      fc.property(anyName, (input) => {
        const verdict = Name.check(input);
        if (!verdict.ok) return;
        expect(satisfiesRule(verdict.value)).toBe(true);
        expect(Name.check(verdict.value)).toEqual(verdict);
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses a name of combining marks only", () => {
    const mark = fc.constantFrom("\u0301", "\u0308", "\u0327", "\u094d", "\u064e", "\u20e3");
    fc.assert(
      fc.property(fc.array(mark, { minLength: 1, maxLength: 50 }), (marks) => {
        expect(verdictOf(marks.join(""))).toEqual({ ok: false, problem: "no_base" });
      }),
    );
  });

  it("refuses a zero-width or invisible formatting character anywhere inside an accepted name", () => {
    const invisible = fc.constantFrom("\u200b", "\u2060", "\ufeff", "\u00ad", "\u2061", "\u2064");
    fc.assert(
      fc.property(anyName, invisible, fc.nat(), (input, character, at) => {
        const verdict = Name.check(input);
        if (!verdict.ok || Text.length(verdict.value) < 2) return;
        const characters = Array.from(verdict.value);
        const index = 1 + (at % (characters.length - 1));
        characters.splice(index, 0, character);
        const refused = Name.check(characters.join(""));
        expect(refused.ok).toBe(false);
        if (!refused.ok) expect(["invisible", "too_long"]).toContain(refused.problem);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes ZWNJ and ZWJ between the letters of a joining script, and refuses them between Latin letters", () => {
    const word = (letters: string) =>
      fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 10 }).map((l) => l.join(""));
    const joiner = fc.constantFrom("\u200c", "\u200d");
    fc.assert(
      fc.property(
        word("بپتثجحخدذرزسشفقکگلمنوهی"),
        joiner,
        word("بپتثجحخدذرزسشفقکگلمنوهی"),
        (a, j, b) => {
          expect(verdictOf(`${a}${j}${b}`)).toEqual({ ok: true, value: `${a}${j}${b}` });
        },
      ),
    );
    fc.assert(
      fc.property(
        word("abcdefghijklmnopqrstuvwxyzçñ"),
        joiner,
        word("abcdefghijklmnopqrstuvwxyz"),
        (a, j, b) => {
          expect(verdictOf(`${a}${j}${b}`)).toEqual({ ok: false, problem: "invisible" });
        },
      ),
    );
  });

  it("accepts every value that satisfies the rule, as it is", () => {
    fc.assert(
      fc.property(anyName, (input) => {
        if (satisfiesRule(input)) expect(Name.check(input)).toEqual({ ok: true, value: input });
      }),
      { numRuns: 3000 },
    );
  });
});

describe("Name.clean (names from the user pool)", () => {
  it.each([
    ["  Ada ", "Ada"],
    ["Ada\u0000", "Ada"],
    ["\u202eAda\u202c", "Ada"],
    ["Ada\nLovelace", "Ada Lovelace"],
    ["Ada\ud800", "Ada"],
    ["Zoe\u0308", "Zoë"],
    ["A\u200bda\u2060", "Ada"],
    ["\u0301\u0308Ada", "Ada"],
    ["Ada\u200d", "Ada"],
    ["A\u200cda", "Ada"],
    ["😀\u200d", "😀"],
    ["👩\u200d\u200b👩", "👩👩"],
    ["\u{e0067}Ada", "Ada"],
    ["حسین\u200cزاده", "حسین\u200cزاده"],
    ["👩\u200d👩\u200d👧", "👩\u200d👩\u200d👧"],
    ["\u0301", undefined],
    ["\u3164\u0301", undefined],
    ["\u200b", undefined],
    ["\u0000\u202e", undefined],
    ["", undefined],
    [undefined, undefined],
    [null, undefined],
    [42, undefined],
  ])("%j → %j", (input, expected) => {
    expect(Name.clean(input)).toBe(expected);
  });

  it("shortens to 50 characters without splitting a surrogate pair or a grapheme", () => {
    expect(Name.clean(`${"x".repeat(49)}😀😀`)).toBe(`${"x".repeat(49)}😀`);
    expect(Name.clean(`${"x".repeat(48)}👩‍👩‍👧`)).toBe("x".repeat(48));
    expect(Name.clean(`${"x".repeat(49)}🇫🇷`)).toBe("x".repeat(49));
    expect(Name.clean(`${"x".repeat(46)}    yyyyy`)).toBe("x".repeat(46));
  });

  describe("where Intl.Segmenter is missing (Firefox before 125)", () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it("shortens to 50 characters without splitting a surrogate pair", () => {
      vi.stubGlobal("Intl", { ...Intl, Segmenter: undefined });
      expect(Name.clean(`${"x".repeat(49)}😀😀`)).toBe(`${"x".repeat(49)}😀`);
      expect(Name.clean("é".repeat(60))).toBe("é".repeat(50));
    });

    it("drops the ZWJ left at the end when an emoji sequence is cut", () => {
      vi.stubGlobal("Intl", { ...Intl, Segmenter: undefined });
      expect(Name.clean(`${"x".repeat(48)}👩\u200d👩\u200d👧`)).toBe(`${"x".repeat(48)}👩`);
    });
  });

  it("gives undefined or a value that satisfies the rule, for any input", () => {
    fc.assert(
      fc.property(anyName, (input) => {
        const cleaned = Name.clean(input);
        if (cleaned === undefined) return;
        expect(satisfiesRule(cleaned)).toBe(true);
        expect(Name.check(cleaned)).toEqual({ ok: true, value: cleaned });
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps what the API would store when the API accepts the input", () => {
    fc.assert(
      fc.property(anyName, (input) => {
        const verdict = Name.check(input);
        if (verdict.ok) expect(Name.clean(input)).toBe(verdict.value);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("Name.isBlank", () => {
  it("is true exactly when a person would see nothing", () => {
    expect(Name.isBlank("")).toBe(true);
    expect(Name.isBlank(" \u200b\u2060\ufeff\u3164")).toBe(true);
    expect(Name.isBlank(" a ")).toBe(false);
    expect(Name.isBlank("\u0301")).toBe(false);
  });

  it("agrees with check: a blank input is always refused, by 'empty' or an earlier problem", () => {
    fc.assert(
      fc.property(anyName, (input) => {
        if (Name.isBlank(input)) expect(Name.check(input).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
