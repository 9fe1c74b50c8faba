import { Name } from "@userprofile/core/name";
import { Profile as CoreProfile } from "@userprofile/core/profile";
import { anyName } from "@userprofile/core/testing/name-arbitrary";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Profile } from "../src/api";
import {
  checkPassword,
  codeError,
  EDITABLE_FIELDS,
  emailError,
  fieldError,
  memberSince,
  profileChanges,
  SIGN_UP_FIELDS,
  signUpAttributes,
  signUpError,
} from "../src/forms";

const profile: Profile = {
  userId: "u1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: null,
  createdAt: "2025-03-04T10:00:00.000Z",
  updatedAt: "2025-03-04T10:00:00.000Z",
};

describe("password rules", () => {
  it("come from the pool's policy and update per character", () => {
    expect(checkPassword("").map((r) => r.label)).toEqual([
      "At least 8 characters",
      "A lowercase letter",
      "An uppercase letter",
      "A number",
      "A symbol",
    ]);
    expect(
      checkPassword("abc")
        .filter((r) => r.met)
        .map((r) => r.id),
    ).toEqual(["lowercase"]);
    expect(checkPassword("Abcdef1!").every((r) => r.met)).toBe(true);
  });
});

const valid = { email: "ada@example.com", password: "Abcdef1!", firstName: "", lastName: "" };

describe("sign-up validation", () => {
  it("accepts a valid form and refuses bad emails, weak passwords and long names", () => {
    expect(signUpError(valid)).toBeUndefined();
    expect(signUpError({ ...valid, email: "ada" })).toMatch(/valid email/);
    expect(signUpError({ ...valid, password: "abcdefgh" })).toMatch(/too weak/);
    expect(signUpError({ ...valid, firstName: "x".repeat(51) })).toMatch(/at most 50/);
    expect(signUpError({ ...valid, firstName: "😀".repeat(50) })).toBeUndefined();
    expect(signUpError({ ...valid, lastName: "Ada\u0000" })).toBe(
      "Last name must not contain control characters or line breaks.",
    );
    expect(signUpError({ ...valid, firstName: "\u202eadA" })).toMatch(
      /^First name must not contain bidirectional control characters/,
    );
    expect(signUpError({ ...valid, firstName: "Ada\ud800" })).toMatch(/broken character/);
  });

  it("treats a field that shows nothing as no name", () => {
    expect(signUpError({ ...valid, firstName: " \u200b " })).toBeUndefined();
    expect(signUpAttributes({ ...valid, firstName: " \u200b ", lastName: "\u2060" })).toEqual({
      email: "ada@example.com",
    });
  });

  it("signs up with each field's value under the field's pool attribute", () => {
    const typed = Object.fromEntries(SIGN_UP_FIELDS.map((f, i) => [f.key, ` Value${i} `]));
    expect(signUpAttributes({ ...valid, ...typed })).toEqual({
      email: "ada@example.com",
      ...Object.fromEntries(SIGN_UP_FIELDS.map((f, i) => [f.poolAttribute, `Value${i}`])),
    });
  });

  it("sends trimmed names only when given, and a normalized email", () => {
    expect(signUpAttributes({ ...valid, email: " Ada@Example.com ", firstName: " Ada " })).toEqual({
      email: "ada@example.com",
      given_name: "Ada",
    });
    expect(signUpAttributes({ ...valid, lastName: "Zoe\u0308 " })).toMatchObject({
      family_name: "Zoë",
    });
  });

  it("checks emails and codes", () => {
    expect(emailError("")).toBe("Enter your email.");
    expect(emailError("a@b.co")).toBeUndefined();
    expect(codeError("")).toBe("Enter the confirmation code.");
    expect(codeError("12ab")).toMatch(/digits/);
    expect(codeError(" 123456 ")).toBeUndefined();
  });
});

describe("profile changes", () => {
  const firstName = EDITABLE_FIELDS[0] as (typeof EDITABLE_FIELDS)[number];

  it("gives the API's verdict for any name typed, and sends what the API would store", () => {
    fc.assert(
      fc.property(anyName, (typed) => {
        const apiVerdict = (() => {
          try {
            return { ok: true, value: CoreProfile.parseChanges({ firstName: typed }).firstName };
          } catch {
            return { ok: false };
          }
        })();
        if (Name.isBlank(typed)) {
          // An empty-looking field means "no name": the form sends null, never the blank text.
          expect(apiVerdict.ok).toBe(false);
          expect(fieldError(firstName, typed)).toBeUndefined();
          expect(profileChanges(profile, { firstName: typed, lastName: "" })).toEqual({
            firstName: null,
          });
          return;
        }
        expect(fieldError(firstName, typed) === undefined).toBe(apiVerdict.ok);
        if (apiVerdict.ok) {
          expect(signUpAttributes({ ...valid, firstName: typed }).given_name).toBe(
            apiVerdict.value,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("sends only changed names, clearing emptied ones with null", () => {
    expect(profileChanges(profile, { firstName: "Ada", lastName: "" })).toEqual({});
    expect(profileChanges(profile, { firstName: " ", lastName: "Lovelace" })).toEqual({
      firstName: null,
      lastName: "Lovelace",
    });
    expect(profileChanges(profile, { firstName: "Ada ", lastName: "" })).toEqual({});
  });

  it("shows when the member joined", () => {
    expect(memberSince(profile.createdAt, "en-US")).toBe("March 4, 2025");
    expect(memberSince("", "en-US")).toBe("—");
  });
});
