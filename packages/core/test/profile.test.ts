import { randomUUID } from "node:crypto";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VisibleError } from "../src/error";
import { Name } from "../src/name";
import { Profile } from "../src/profile";
import { useLocalDynamoDB } from "./env";
import { anyName, satisfiesRule } from "./name-arbitrary";
import { activeProfile, newProfile } from "./profiles";

const { client, endpoint, tableName, rawItem } = useLocalDynamoDB();
const store = Profile.store(tableName, client);

afterEach(() => {
  vi.restoreAllMocks();
});

/** A failure that is not a failed condition, as the network or DynamoDB can raise. */
function failNextCall() {
  vi.spyOn(store.client, "send").mockRejectedValueOnce(
    Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }),
  );
}

/** A store whose client records the requests it sends, as DynamoDB receives them. */
function recordingStore() {
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const recording = new DynamoDBClient({ endpoint, region: "us-east-1" });
  recording.middlewareStack.add(
    (next, context) => (args) => {
      sent.push({
        command: String(context.commandName),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: "build" },
  );
  return { store: Profile.store(tableName, recording), sent };
}

describe("Profile.create", () => {
  it("writes the seed's attributes plus UpdatedAt", async () => {
    const userId = randomUUID();
    const now = new Date("2026-01-02T03:04:05.678Z");
    expect(
      await Profile.create(
        store,
        newProfile(userId, "ada@example.com", { firstName: " Ada ", lastName: "Lovelace" }),
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
    await Profile.create(
      store,
      newProfile(userId, "x@example.com", { firstName: "", lastName: undefined }),
    );
    const item = await rawItem(userId);
    expect(Object.keys(item ?? {}).sort()).toEqual(["CreatedAt", "Email", "UpdatedAt", "UserID"]);
    expect(await activeProfile(store, userId)).toMatchObject({ firstName: null, lastName: null });
  });

  it("never overwrites: a second create keeps the first CreatedAt and names", async () => {
    const userId = randomUUID();
    await Profile.create(
      store,
      newProfile(userId, "a@example.com", { firstName: "First" }),
      new Date("2026-01-01T00:00:00Z"),
    );
    const again = await Profile.create(
      store,
      newProfile(userId, "b@example.com", { firstName: "Second" }),
      new Date("2026-06-01T00:00:00Z"),
    );
    expect(again).toBe(false);
    expect(await activeProfile(store, userId)).toMatchObject({
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
      newProfile(userId, "u@example.com", { firstName: "Old", lastName: "Name" }),
      new Date("2026-01-01T00:00:00Z"),
    );
    const updated = await Profile.update(
      store,
      userId,
      Profile.parseChanges({ firstName: "  New ", lastName: null }),
      new Date("2026-02-01T00:00:00Z"),
    );
    expect(updated.status === "active" && updated.profile).toEqual({
      userId,
      email: "u@example.com",
      firstName: "New",
      lastName: null,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-02-01T00:00:00.000Z",
    });
    expect(Object.keys((await rawItem(userId)) ?? {})).not.toContain("lastName");
  });

  it("clears both names in one update", async () => {
    const userId = randomUUID();
    await Profile.create(
      store,
      newProfile(userId, "u@example.com", { firstName: "A", lastName: "B" }),
    );
    const updated = await Profile.update(store, userId, { firstName: null, lastName: null });
    expect(updated.status === "active" && updated.profile).toMatchObject({
      firstName: null,
      lastName: null,
    });
    expect(Object.keys((await rawItem(userId)) ?? {}).sort()).toEqual([
      "CreatedAt",
      "Email",
      "UpdatedAt",
      "UserID",
    ]);
  });

  it("fails on an error other than its condition, without reading on as if the profile were gone", async () => {
    const userId = randomUUID();
    await Profile.create(store, newProfile(userId, "u@example.com", { firstName: "Kept" }));
    const before = await rawItem(userId);
    failNextCall();
    await expect(Profile.update(store, userId, { firstName: "Lost" })).rejects.toThrow(
      "Rate exceeded",
    );
    expect(await rawItem(userId)).toEqual(before);
  });

  it("returns null and creates nothing when the profile is missing", async () => {
    const userId = randomUUID();
    expect(await Profile.update(store, userId, { firstName: "Ghost" })).toEqual({
      status: "absent",
    });
    expect(await rawItem(userId)).toBeUndefined();
  });
});

describe("Profile.get", () => {
  it("reads a profile written before UpdatedAt existed, reporting CreatedAt as its last update", async () => {
    const userId = randomUUID();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          UserID: { S: userId },
          Email: { S: "old@example.com" },
          firstName: { S: "Early" },
          CreatedAt: { S: "2025-01-01T00:00:00.000Z" },
        },
      }),
    );
    expect(await activeProfile(store, userId)).toEqual({
      userId,
      email: "old@example.com",
      firstName: "Early",
      lastName: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
    });
  });
});

describe("deletion markers", () => {
  const hourLater = (date: Date) => new Date(date.getTime() + 3600_000);

  it("replace the whole profile with the key, DeletedAt and ExpiresAt", async () => {
    const userId = randomUUID();
    await Profile.create(store, newProfile(userId, "d@example.com", { firstName: "Del" }));
    const now = new Date("2026-03-01T10:00:00Z");
    await Profile.markDeleted(store, userId, hourLater(now), now);
    expect(await rawItem(userId)).toEqual({
      UserID: { S: userId },
      DeletedAt: { S: "2026-03-01T10:00:00.000Z" },
      ExpiresAt: { N: String(Date.parse("2026-03-01T11:00:00Z") / 1000) },
    });
    expect(await Profile.load(store, userId, now)).toEqual({ status: "deleted" });
    expect(await activeProfile(store, userId, now)).toBeNull();
  });

  it("block creates and updates until they expire", async () => {
    const userId = randomUUID();
    const now = new Date();
    await Profile.markDeleted(store, userId, hourLater(now), now);
    const marker = await rawItem(userId);
    expect(await Profile.create(store, { userId, email: "again@example.com" }, now)).toBe(false);
    expect(await Profile.update(store, userId, { firstName: "Back" }, now)).toEqual({
      status: "deleted",
    });
    expect(await rawItem(userId)).toEqual(marker);
  });

  it("count as absent once expired, and a create may then replace them", async () => {
    const userId = randomUUID();
    const now = new Date("2026-03-01T10:00:00Z");
    await Profile.markDeleted(store, userId, hourLater(now), now);
    const expired = hourLater(now);
    expect(await Profile.load(store, userId, expired)).toEqual({ status: "absent" });
    expect(await Profile.update(store, userId, { firstName: "X" }, expired)).toEqual({
      status: "absent",
    });
    expect(
      await Profile.create(
        store,
        newProfile(userId, "new@example.com", { firstName: "New" }),
        expired,
      ),
    ).toBe(true);
    expect(Object.keys((await rawItem(userId)) ?? {}).sort()).toEqual([
      "CreatedAt",
      "Email",
      "UpdatedAt",
      "UserID",
      "firstName",
    ]);
  });

  it("are idempotent: marking again refreshes ExpiresAt", async () => {
    const userId = randomUUID();
    const now = new Date("2026-03-01T10:00:00Z");
    await Profile.markDeleted(store, userId, hourLater(now), now);
    await Profile.markDeleted(store, userId, hourLater(hourLater(now)), hourLater(now));
    expect((await rawItem(userId))?.ExpiresAt).toEqual({
      N: String(Date.parse("2026-03-01T12:00:00Z") / 1000),
    });
  });
});

describe("names from the user pool", () => {
  it("are cleaned by the name rule, never refused", async () => {
    const userId = randomUUID();
    expect(
      await Profile.create(
        store,
        newProfile(userId, "n@example.com", {
          firstName: "\u202eAda\u0000\n",
          lastName: `${"x".repeat(49)}\u{1F600}\u{1F600}`,
        }),
      ),
    ).toBe(true);
    expect(await activeProfile(store, userId)).toMatchObject({
      firstName: "Ada",
      lastName: `${"x".repeat(49)}\u{1F600}`,
    });
  });

  it("leave out a name with nothing valid left", async () => {
    const userId = randomUUID();
    await Profile.create(store, newProfile(userId, "n@example.com", { firstName: "\u200b\u0000" }));
    expect(Object.keys((await rawItem(userId)) ?? {})).not.toContain("firstName");
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
    failNextCall();
    await expect(
      Profile.updateEmail(store, userId, { from: "held@example.com", to: "new@example.com" }),
    ).rejects.toThrow("Rate exceeded");
    failNextCall();
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

describe("reads", () => {
  // dynalite is always consistent; DynamoDB reads eventually consistently unless asked.
  it("ask DynamoDB for strongly consistent results: a write just acknowledged is seen", async () => {
    const { store: recorded, sent } = recordingStore();
    await Profile.load(recorded, randomUUID());
    for await (const _ of Profile.scan(recorded, { pageSize: 1 })) break;
    expect(sent.map(({ command, input }) => [command, input.ConsistentRead])).toEqual([
      ["GetItemCommand", true],
      ["ScanCommand", true],
    ]);
  });

  it("stop a scan when its signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const pages = Profile.scan(store, { signal: controller.signal });
    await expect(pages.next()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("take only a number as ExpiresAt, as TTL does: a marker with any other type is no marker", () => {
    const now = new Date("2026-03-01T10:00:00Z");
    const marker = { UserID: "u-1", DeletedAt: now.toISOString() };
    expect(Profile.stateOf({ ...marker, ExpiresAt: "9999999999" }, now)).toEqual({
      status: "absent",
    });
    expect(Profile.stateOf({ ...marker, ExpiresAt: 9999999999 }, now)).toEqual({
      status: "deleted",
    });
  });

  it("read an item missing attributes with empty text and no names, never undefined", () => {
    const now = new Date();
    expect(Profile.stateOf({ UserID: "u-1" }, now)).toEqual({
      status: "active",
      profile: {
        userId: "u-1",
        email: "",
        firstName: null,
        lastName: null,
        createdAt: "",
        updatedAt: "",
      },
    });
    expect(Profile.stateOf({}, now)).toMatchObject({ profile: { userId: "" } });
  });
});
