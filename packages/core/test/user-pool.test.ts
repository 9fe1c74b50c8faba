import { describe, expect, it } from "vitest";
import { passwordRules } from "../src/user-pool";

const verdicts = (password: string) =>
  Object.fromEntries(passwordRules().map((rule) => [rule.id, rule.test(password)]));

describe("passwordRules (the sign-up form's checklist and the local pool's policy)", () => {
  it("lists Cognito's five default requirements with the labels the form shows", () => {
    expect(passwordRules().map(({ id, label }) => ({ id, label }))).toEqual([
      { id: "length", label: "At least 8 characters" },
      { id: "lowercase", label: "A lowercase letter" },
      { id: "uppercase", label: "An uppercase letter" },
      { id: "number", label: "A number" },
      { id: "symbol", label: "A symbol" },
    ]);
  });

  it.each([
    ["Aa1!aaaa", { length: true, lowercase: true, uppercase: true, number: true, symbol: true }],
    ["Aa1!aaa", { length: false, lowercase: true, uppercase: true, number: true, symbol: true }],
    ["AA1!AAAA", { length: true, lowercase: false, uppercase: true, number: true, symbol: true }],
    ["aa1!aaaa", { length: true, lowercase: true, uppercase: false, number: true, symbol: true }],
    ["Aa!!aaaa", { length: true, lowercase: true, uppercase: true, number: false, symbol: true }],
    ["Aa11aaaa", { length: true, lowercase: true, uppercase: true, number: true, symbol: false }],
    // A space or a letter outside ASCII is not one of Cognito's symbols.
    ["Aa1 éaaa", { length: true, lowercase: true, uppercase: true, number: true, symbol: false }],
  ])("%j → %j", (password, expected) => {
    expect(verdicts(password)).toEqual(expected);
  });

  it("counts each of Cognito's symbols", () => {
    for (const symbol of "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+-") {
      expect(verdicts(`Aa1${symbol}aaaa`).symbol, symbol).toBe(true);
    }
  });

  it("follows a policy that asks for less", () => {
    const policy = {
      minimumLength: 12,
      requireLowercase: false,
      requireUppercase: false,
      requireNumbers: false,
      requireSymbols: false,
    };
    const rules = passwordRules(policy);
    expect(rules.map((rule) => [rule.id, rule.label])).toEqual([
      ["length", "At least 12 characters"],
    ]);
    expect(rules[0]?.test("x".repeat(12))).toBe(true);
    expect(rules[0]?.test("x".repeat(11))).toBe(false);
  });
});
