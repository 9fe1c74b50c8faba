import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Profile } from "../src/profile";
import { useLocalDynamoDB } from "./env";
import { failNextCall, newProfile } from "./profiles";

/** The conditional writes and the scan reconcile uses. */
const { client, tableName, rawItem } = useLocalDynamoDB();
const store = Profile.store(tableName, client);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Profile.updateEmail", () => {
  it("sets the new email and bumps UpdatedAt when the profile still holds the old one", async () => {
    const userId = randomUUID();
    await Profile.create(
      store,
      newProfile(userId, "old@example.com", { firstName: "Ada" }),
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

describe("conditional writes that fail for another reason", () => {
  it("are errors, not a changed profile: updateEmail and removeIfUnchanged throw", async () => {
    const userId = randomUUID();
    await Profile.create(store, { userId, email: "held@example.com" });
    failNextCall(store);
    await expect(
      Profile.updateEmail(store, userId, { from: "held@example.com", to: "new@example.com" }),
    ).rejects.toThrow("Rate exceeded");
    failNextCall(store);
    await expect(Profile.removeIfUnchanged(store, userId, "held@example.com")).rejects.toThrow(
      "Rate exceeded",
    );
    expect((await rawItem(userId))?.Email).toEqual({ S: "held@example.com" });
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
