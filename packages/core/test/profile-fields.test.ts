import { describe, expect, it, vi } from "vitest";
import { VisibleError } from "../src/error";
import { Profile } from "../src/profile";
import { ProfileFields } from "../src/profile-fields";
import { UsersTable } from "../src/users-table";

// The definition as the README's recipe extends it: an editable text field
// kept in a custom pool attribute, and a read-only one from a standard attribute.
vi.mock("../src/profile-fields/fields", async (importOriginal) => {
  const { fields } = await importOriginal<typeof import("../src/profile-fields/fields")>();
  const { textRule } = await import("../src/profile-fields/rules");
  return {
    fields: [
      ...fields,
      {
        key: "tagline",
        attribute: "tagline",
        poolAttribute: "custom:tagline",
        rule: textRule(80),
        editable: true,
        label: "Tagline",
      },
      {
        key: "nickname",
        attribute: "nickname",
        poolAttribute: "nickname",
        rule: textRule(20),
        editable: false,
        label: "Nickname",
      },
    ],
  };
});

/** Cognito's standard attributes: a pool attribute is one of these or `custom:<name>`. */
const STANDARD_ATTRIBUTES = new Set([
  "address",
  "birthdate",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "picture",
  "preferred_username",
  "profile",
  "website",
  "zoneinfo",
]);

const codeOf = (input: unknown) => {
  try {
    Profile.parseChanges(input);
  } catch (error) {
    return (error as VisibleError).code;
  }
  return "accepted";
};

describe("the profile fields' definition", () => {
  it("keeps keys and table attributes unique and clear of the profile's fixed ones", () => {
    const keys = ProfileFields.all.map((field) => field.key);
    const attributes = ProfileFields.all.map((field) => field.attribute);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(attributes).size).toBe(attributes.length);
    for (const key of keys)
      expect(["userId", "email", "createdAt", "updatedAt"]).not.toContain(key);
    for (const attribute of attributes) {
      expect(Object.values(UsersTable.attributes)).not.toContain(attribute);
    }
  });

  it("takes each field from a standard or custom pool attribute, or lets the API set it", () => {
    for (const field of ProfileFields.all) {
      expect(field.editable || field.poolAttribute !== undefined, field.key).toBe(true);
      if (field.poolAttribute === undefined) continue;
      const custom = /^custom:([\w-]{1,20})$/.exec(field.poolAttribute);
      expect(custom !== null || STANDARD_ATTRIBUTES.has(field.poolAttribute), field.key).toBe(true);
    }
  });

  it("derives the pool's schema for custom attributes only, and what ListUsers reads", () => {
    expect(ProfileFields.customAttributeSchema()).toEqual([
      {
        name: "tagline",
        attributeDataType: "String",
        mutable: true,
        stringAttributeConstraints: { minLength: "0", maxLength: "2048" },
      },
    ]);
    expect(ProfileFields.poolAttributes).toEqual([
      "given_name",
      "family_name",
      "custom:tagline",
      "nickname",
    ]);
  });
});

describe("a field added to the definition", () => {
  it("is parsed by its own rule and code, and refused when it is not editable", () => {
    expect(Profile.parseChanges({ tagline: "  Ada L. ", firstName: null })).toEqual({
      tagline: "Ada L.",
      firstName: null,
    });
    expect(codeOf({ tagline: "x".repeat(81) })).toBe("invalid_text");
    expect(codeOf({ tagline: "A\u200bda" })).toBe("accepted");
    expect(codeOf({ firstName: "A\u200bda" })).toBe("invalid_name");
    expect(codeOf({ tagline: 1 })).toBe("invalid_type");
    expect(() => Profile.parseChanges({ nickname: "Ada" })).toThrow(
      new VisibleError(
        "input",
        "unknown_field",
        `"nickname" cannot be changed. Editable fields: ${ProfileFields.editable.map((field) => field.key).join(", ")}.`,
      ),
    );
  });

  it("is read from the item in the definition's order, null when absent", () => {
    const profile = Profile.stateOf(
      { UserID: "u", Email: "e", tagline: "Ada", firstName: "A", CreatedAt: "c" },
      new Date(),
    );
    expect(ProfileFields.all.slice(-2).map((field) => field.key)).toEqual(["tagline", "nickname"]);
    const values: Record<string, string> = { firstName: "A", tagline: "Ada" };
    expect(profile.status === "active" && JSON.stringify(profile.profile)).toBe(
      JSON.stringify({
        userId: "u",
        email: "e",
        ...Object.fromEntries(
          ProfileFields.all.map((field) => [field.key, values[field.key] ?? null]),
        ),
        createdAt: "c",
        updatedAt: "c",
      }),
    );
  });
});
