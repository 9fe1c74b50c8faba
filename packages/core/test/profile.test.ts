import { randomUUID } from "node:crypto";
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Profile } from "../src/profile";
import { useLocalDynamoDB } from "./env";
import { activeProfile, failNextCall, newProfile, profileOf } from "./profiles";

const { client, endpoint, tableName, rawItem } = useLocalDynamoDB();
const store = Profile.store(tableName, client);

afterEach(() => {
  vi.restoreAllMocks();
});

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
    expect(updated.status === "active" && updated.profile).toEqual(
      profileOf({
        userId,
        email: "u@example.com",
        firstName: "New",
        lastName: null,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-02-01T00:00:00.000Z",
      }),
    );
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
    failNextCall(store);
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

describe("Profile.load", () => {
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
    expect(await activeProfile(store, userId)).toEqual(
      profileOf({
        userId,
        email: "old@example.com",
        firstName: "Early",
        lastName: null,
        createdAt: "2025-01-01T00:00:00.000Z",
        updatedAt: "2025-01-01T00:00:00.000Z",
      }),
    );
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
      profile: profileOf({
        userId: "u-1",
        email: "",
        firstName: null,
        lastName: null,
        createdAt: "",
        updatedAt: "",
      }),
    });
    expect(Profile.stateOf({}, now)).toMatchObject({ profile: { userId: "" } });
  });
});
