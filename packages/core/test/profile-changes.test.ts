import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { VisibleError } from "../src/error";
import { Name } from "../src/name";
import { Profile } from "../src/profile";
import { anyName, satisfiesRule } from "./name-arbitrary";

describe("Profile.parseChanges", () => {
  const codeOf = (input: unknown) => {
    try {
      Profile.parseChanges(input);
    } catch (error) {
      expect(error).toBeInstanceOf(VisibleError);
      return (error as VisibleError).code;
    }
    return "accepted";
  };

  it.each([
    [[], "invalid_body"],
    ["text", "invalid_body"],
    [null, "invalid_body"],
    [{}, "empty_change"],
    [{ firstname: "typo" }, "unknown_field"],
    [{ email: "new@example.com" }, "unknown_field"],
    [{ userId: "someone-else" }, "unknown_field"],
    [{ firstName: 42 }, "invalid_type"],
    [{ firstName: ["a"] }, "invalid_type"],
    [{ firstName: "   " }, "invalid_name"],
    [{ firstName: "" }, "invalid_name"],
    [{ lastName: "x".repeat(51) }, "invalid_name"],
    [{ firstName: "A\u0000" }, "invalid_name"],
    [{ firstName: "\u202eAda" }, "invalid_name"],
    [{ firstName: "\u200b" }, "invalid_name"],
    [{ firstName: "\ud800" }, "invalid_name"],
    [{ firstName: "Ada", lastName: "\u2066x" }, "invalid_name"],
    [{ firstName: "x".repeat(50), lastName: null }, "accepted"],
    [{ firstName: "😀".repeat(50) }, "accepted"],
  ])("%j → %s", (input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it("either refuses a name with invalid_name or returns one that satisfies the name rule", () => {
    fc.assert(
      fc.property(anyName, (input) => {
        const code = codeOf({ firstName: input });
        const verdict = Name.check(input);
        expect(code).toBe(verdict.ok ? "accepted" : "invalid_name");
        if (verdict.ok) {
          const { firstName } = Profile.parseChanges({ firstName: input });
          expect(firstName).toBe(verdict.value);
          expect(satisfiesRule(firstName as string)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
