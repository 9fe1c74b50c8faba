import { randomUUID } from "node:crypto";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { VisibleError } from "../src/error";
import { Profile } from "../src/profile";
import { useLocalDynamoDB } from "./env";

const { client, tableName } = useLocalDynamoDB();
const store = Profile.store(tableName, client);

async function rawItem(userId: string) {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { UserID: { S: userId } },
      ConsistentRead: true,
    }),
  );
  return Item;
}

describe("Profile.create", () => {
  it("writes the seed's attributes plus UpdatedAt", async () => {
    const userId = randomUUID();
    const now = new Date("2026-01-02T03:04:05.678Z");
    expect(
      await Profile.create(
        store,
        { userId, email: "ada@example.com", firstName: " Ada ", lastName: "Lovelace" },
        now,
      ),
    ).toBe(true);
    expect(await rawItem(userId)).toEqual({
      UserID: { S: userId },
      Email: { S: "ada@example.com" },
      firstName: { S: "Ada" },
      lastName: { S: "Lovelace" },
      CreatedAt: { S: "2026-01-02T03:04:05.678Z" },
      UpdatedAt: { S: "2026-01-02T03:04:05.678Z" },
    });
  });

  it("leaves absent or empty names out instead of writing the string undefined", async () => {
    const userId = randomUUID();
    await Profile.create(store, {
      userId,
      email: "x@example.com",
      firstName: "",
      lastName: undefined,
    });
    const item = await rawItem(userId);
    expect(Object.keys(item ?? {}).sort()).toEqual(["CreatedAt", "Email", "UpdatedAt", "UserID"]);
    expect(await Profile.get(store, userId)).toMatchObject({ firstName: null, lastName: null });
  });

  it("never overwrites: a second create keeps the first CreatedAt and names", async () => {
    const userId = randomUUID();
    await Profile.create(
      store,
      { userId, email: "a@example.com", firstName: "First" },
      new Date("2026-01-01T00:00:00Z"),
    );
    const again = await Profile.create(
      store,
      { userId, email: "b@example.com", firstName: "Second" },
      new Date("2026-06-01T00:00:00Z"),
    );
    expect(again).toBe(false);
    expect(await Profile.get(store, userId)).toMatchObject({
      email: "a@example.com",
      firstName: "First",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
  });

  it("creates exactly one item when racing itself", async () => {
    const userId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => Profile.create(store, { userId, email: "r@example.com" })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe("Profile.update", () => {
  it("sets, trims and clears names and bumps UpdatedAt only", async () => {
    const userId = randomUUID();
    await Profile.create(
      store,
      { userId, email: "u@example.com", firstName: "Old", lastName: "Name" },
      new Date("2026-01-01T00:00:00Z"),
    );
    const updated = await Profile.update(
      store,
      userId,
      Profile.parseChanges({ firstName: "  New ", lastName: null }),
      new Date("2026-02-01T00:00:00Z"),
    );
    expect(updated).toEqual({
      userId,
      email: "u@example.com",
      firstName: "New",
      lastName: null,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-02-01T00:00:00.000Z",
    });
    expect(Object.keys((await rawItem(userId)) ?? {})).not.toContain("lastName");
  });

  it("returns null and creates nothing when the profile is missing", async () => {
    const userId = randomUUID();
    expect(await Profile.update(store, userId, { firstName: "Ghost" })).toBeNull();
    expect(await rawItem(userId)).toBeUndefined();
  });
});

describe("Profile.remove", () => {
  it("deletes and is idempotent", async () => {
    const userId = randomUUID();
    await Profile.create(store, { userId, email: "d@example.com" });
    await Profile.remove(store, userId);
    await Profile.remove(store, userId);
    expect(await Profile.get(store, userId)).toBeNull();
  });
});

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
    [{ firstName: "   " }, "invalid_length"],
    [{ lastName: "x".repeat(51) }, "invalid_length"],
    [{ firstName: "x".repeat(50), lastName: null }, "accepted"],
    [{ firstName: "😀".repeat(50) }, "accepted"],
  ])("%j → %s", (input, code) => {
    expect(codeOf(input)).toBe(code);
  });
});

describe("Profile.updateEmail", () => {
  it("sets the new email and bumps UpdatedAt when the profile still holds the old one", async () => {
    const userId = randomUUID();
    await Profile.create(
      store,
      { userId, email: "old@example.com", firstName: "Ada" },
      new Date("2026-01-01T00:00:00Z"),
    );
    const changed = await Profile.updateEmail(
      store,
      userId,
      { from: "old@example.com", to: "new@example.com" },
      new Date("2026-03-01T00:00:00Z"),
    );
    expect(changed).toBe(true);
    expect(await rawItem(userId)).toEqual({
      UserID: { S: userId },
      Email: { S: "new@example.com" },
      firstName: { S: "Ada" },
      CreatedAt: { S: "2026-01-01T00:00:00.000Z" },
      UpdatedAt: { S: "2026-03-01T00:00:00.000Z" },
    });
  });

  it("leaves a profile whose email changed meanwhile as it is", async () => {
    const userId = randomUUID();
    await Profile.create(store, { userId, email: "edited@example.com" });
    const before = await rawItem(userId);
    expect(
      await Profile.updateEmail(store, userId, {
        from: "scanned@example.com",
        to: "x@example.com",
      }),
    ).toBe(false);
    expect(await rawItem(userId)).toEqual(before);
  });

  it("does not recreate a profile deleted meanwhile", async () => {
    const userId = randomUUID();
    expect(
      await Profile.updateEmail(store, userId, { from: "a@example.com", to: "b@example.com" }),
    ).toBe(false);
    expect(await rawItem(userId)).toBeUndefined();
  });
});

describe("Profile.removeIfUnchanged", () => {
  it("deletes the profile when it still holds the email read before", async () => {
    const userId = randomUUID();
    await Profile.create(store, { userId, email: "gone@example.com" });
    expect(await Profile.removeIfUnchanged(store, userId, "gone@example.com")).toBe(true);
    expect(await rawItem(userId)).toBeUndefined();
  });

  it("keeps a profile that changed since, and reports a missing one as not deleted", async () => {
    const userId = randomUUID();
    await Profile.create(store, { userId, email: "now@example.com" });
    expect(await Profile.removeIfUnchanged(store, userId, "then@example.com")).toBe(false);
    expect(await rawItem(userId)).toBeDefined();
    expect(await Profile.removeIfUnchanged(store, randomUUID(), "then@example.com")).toBe(false);
  });
});

describe("Profile.scan", () => {
  it("follows LastEvaluatedKey through every page", async () => {
    const ids = Array.from({ length: 23 }, () => randomUUID());
    await Promise.all(
      ids.map((userId) => Profile.create(store, { userId, email: "s@example.com" })),
    );
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of Profile.scan(store, { pageSize: 7 })) {
      pages.push(page.length);
      for (const item of page) seen.push(item.UserID as string);
    }
    expect(pages.length).toBeGreaterThan(3);
    expect(Math.max(...pages)).toBeLessThanOrEqual(7);
    expect(ids.filter((id) => seen.includes(id))).toHaveLength(ids.length);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
