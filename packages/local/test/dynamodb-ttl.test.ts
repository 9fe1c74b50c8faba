import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { UsersTable } from "@userprofile/core/users-table";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDBHarness, startDynamoDBHarness, tableSpec } from "./dynamodb-harness";
import { rawItem } from "./flows";
import { startLocalTarget } from "./target";

const HOUR = 3600;
const tokens = tableSpec("Tokens", {
  hashKey: "token",
  timeToLive: { attributeName: "expiresAt" },
});
const notes = tableSpec("Notes", { hashKey: "id" });
let h: DynamoDBHarness;

beforeAll(async () => {
  h = await startDynamoDBHarness({ onDisk: true });
  await h.emulator.applyTables([tokens, notes]);
});

afterAll(async () => {
  await h?.stop();
});

const epoch = (offsetSeconds = 0) =>
  String(Math.floor(h.clock.now().getTime() / 1000) + offsetSeconds);

async function put(table: string, item: Record<string, AttributeValue>) {
  await h.client.send(new PutItemCommand({ TableName: table, Item: item }));
}

async function exists(table: string, key: Record<string, AttributeValue>) {
  const { Item } = await h.client.send(
    new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }),
  );
  return Item !== undefined;
}

const describeTtl = async (table: string) =>
  (await h.client.send(new DescribeTimeToLiveCommand({ TableName: table }))).TimeToLiveDescription;

const updateTtl = (table: string, attributeName: string, enabled: boolean) =>
  h.client.send(
    new UpdateTimeToLiveCommand({
      TableName: table,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: enabled },
    }),
  );

describe("time to live on a declared table", () => {
  it("DescribeTimeToLive reports it as the declarations set it", async () => {
    expect(await describeTtl("Tokens")).toEqual({
      TimeToLiveStatus: "ENABLED",
      AttributeName: "expiresAt",
    });
    expect(await describeTtl("Notes")).toEqual({ TimeToLiveStatus: "DISABLED" });
    await expect(describeTtl("Nope")).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("deletes items whose own TTL attribute (epoch seconds) has passed, and nothing else", async () => {
    const key = (token: string) => ({ token: { S: token } });
    await put("Tokens", { ...key("expired"), expiresAt: { N: epoch(-2 * HOUR) } });
    await put("Tokens", { ...key("just-expired"), expiresAt: { N: epoch() } });
    await put("Tokens", { ...key("live"), expiresAt: { N: epoch(60) } });
    await put("Tokens", { ...key("no-ttl"), note: { S: "kept" } });
    // TTL ignores an attribute that is not a Number, and times more than five years in the past.
    await put("Tokens", { ...key("text-ttl"), expiresAt: { S: epoch(-2 * HOUR) } });
    await put("Tokens", { ...key("ancient"), expiresAt: { N: epoch(-6 * 365 * 24 * HOUR) } });
    // Another table's attribute of that name means nothing: Notes has no TTL.
    await put("Notes", { id: { S: "n1" }, expiresAt: { N: epoch(-2 * HOUR) } });

    expect(await h.emulator.sweepExpiredItems()).toBe(2);
    expect(await exists("Tokens", key("expired"))).toBe(false);
    expect(await exists("Tokens", key("just-expired"))).toBe(false);
    for (const kept of ["live", "no-ttl", "text-ttl", "ancient"]) {
      expect(await exists("Tokens", key(kept))).toBe(true);
    }
    expect(await exists("Notes", { id: { S: "n1" } })).toBe(true);
  });

  it("expires items as the stack's clock moves, without waiting", async () => {
    const key = { token: { S: "in-an-hour" } };
    await put("Tokens", { ...key, expiresAt: { N: epoch(HOUR) } });
    await h.emulator.sweepExpiredItems();
    expect(await exists("Tokens", key)).toBe(true);
    h.clock.advance(HOUR + 1);
    await h.emulator.sweepExpiredItems();
    expect(await exists("Tokens", key)).toBe(false);
  });

  it("sweeps at start and then on its interval", async () => {
    await put("Tokens", { token: { S: "before-restart" }, expiresAt: { N: epoch(-1) } });
    await h.emulator.stop();
    const restarted = await startDynamoDBHarness({
      dataDir: h.dataDir,
      now: () => h.clock.now(),
      sweepIntervalMs: 50,
    });
    try {
      const check = (token: string) =>
        restarted.client
          .send(new GetItemCommand({ TableName: "Tokens", Key: { token: { S: token } } }))
          .then(({ Item }) => Item !== undefined);
      await expect.poll(() => check("before-restart"), { timeout: 5_000 }).toBe(false);
      await restarted.client.send(
        new PutItemCommand({
          TableName: "Tokens",
          Item: { token: { S: "later" }, expiresAt: { N: epoch(-1) } },
        }),
      );
      await expect.poll(() => check("later"), { timeout: 5_000 }).toBe(false);
    } finally {
      restarted.client.destroy();
      await restarted.emulator.stop();
    }
    await h.restart();
  });
});

describe("UpdateTimeToLive", () => {
  it("enables and disables as the API reference documents, by the stack's clock", async () => {
    await expect(updateTtl("Notes", "staleAt", true)).resolves.toMatchObject({
      TimeToLiveSpecification: { AttributeName: "staleAt", Enabled: true },
    });
    expect(await describeTtl("Notes")).toEqual({
      TimeToLiveStatus: "ENABLED",
      AttributeName: "staleAt",
    });
    await put("Notes", { id: { S: "stale" }, staleAt: { N: epoch(-1) } });
    expect(await h.emulator.sweepExpiredItems()).toBe(1);

    await expect(updateTtl("Notes", "staleAt", true)).rejects.toMatchObject({
      name: "ValidationException",
      message: "TimeToLive is already enabled",
    });
    await expect(updateTtl("Notes", "otherAt", true)).rejects.toMatchObject({
      name: "ValidationException",
      message: "TimeToLive is active on a different AttributeName",
    });
    await expect(updateTtl("Notes", "staleAt", false)).rejects.toMatchObject({
      name: "ValidationException",
      message: "Time to live has been modified multiple times within a fixed interval",
    });
    h.clock.advance(HOUR);
    await expect(updateTtl("Notes", "staleAt", false)).resolves.toMatchObject({
      TimeToLiveSpecification: { AttributeName: "staleAt", Enabled: false },
    });
    expect(await describeTtl("Notes")).toEqual({ TimeToLiveStatus: "DISABLED" });
    await put("Notes", { id: { S: "stale-again" }, staleAt: { N: epoch(-1) } });
    expect(await h.emulator.sweepExpiredItems()).toBe(0);
    await expect(updateTtl("Notes", "staleAt", false)).rejects.toMatchObject({
      name: "ValidationException",
      message: "TimeToLive is already disabled",
    });
  });

  it("answers a missing table and a malformed request as DynamoDB does", async () => {
    await expect(updateTtl("Nope", "at", true)).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await expect(
      h.client.send(new UpdateTimeToLiveCommand({ TableName: "Notes" } as never)),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("timeToLiveSpecification"),
    });
  });

  it("is forgotten with the table", async () => {
    await h.client.send(new DeleteTableCommand({ TableName: "Tokens" }));
    await expect
      .poll(() => describeTtl("Tokens").catch((error: Error) => error.name))
      .toBe("ResourceNotFoundException");
    await h.client.send(
      new CreateTableCommand({
        TableName: "Tokens",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "token", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "token", AttributeType: "S" }],
      }),
    );
    expect(await describeTtl("Tokens")).toEqual({ TimeToLiveStatus: "DISABLED" });
  });
});

describe("the local stack", () => {
  it("sweeps the Users table when it starts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "local-ttl-"));
    try {
      const first = await startLocalTarget({ dataDir, keepData: true });
      const expired = `expired-marker-${Date.now()}`;
      await first.dynamodb.send(
        new PutItemCommand({
          TableName: first.usersTable,
          Item: {
            UserID: { S: expired },
            DeletedAt: { S: new Date(Date.now() - 7_200_000).toISOString() },
            [UsersTable.timeToLiveAttribute]: { N: String(Math.floor(Date.now() / 1000) - 60) },
          },
        }),
      );
      await first.stop();
      const second = await startLocalTarget({ dataDir, keepData: true });
      try {
        await expect.poll(() => rawItem(second, expired), { timeout: 10_000 }).toBeUndefined();
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
