import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { UsersTable } from "@userprofile/core/users-table";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DynamoDBEmulator,
  deleteExpiredItems,
  ensureUsersTable,
  localDynamoDBClient,
  startDynamoDB,
  startExpirySweeper,
} from "../src/dynamodb";
import { rawItem } from "./flows";
import { startLocalTarget } from "./target";

const TABLE = "Users";
const TTL = UsersTable.timeToLiveAttribute;
let emulator: DynamoDBEmulator;
let client: DynamoDBClient;

beforeAll(async () => {
  emulator = await startDynamoDB({ port: 0 });
  client = localDynamoDBClient(emulator.endpoint, "us-east-1");
  await ensureUsersTable(client, TABLE);
});

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});

const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

async function put(item: Record<string, AttributeValue>, dynamodb = client, table = TABLE) {
  await dynamodb.send(new PutItemCommand({ TableName: table, Item: item }));
}

async function exists(userId: string) {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: TABLE, Key: { UserID: { S: userId } }, ConsistentRead: true }),
  );
  return Item !== undefined;
}

describe("time to live on the local table", () => {
  it("is not supported by dynalite itself, which is why the local stack sweeps", async () => {
    const update = client.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: TTL, Enabled: true },
      }),
    );
    await expect(update).rejects.toMatchObject({ name: "UnknownOperationException" });
  });

  it("deletes items whose TTL attribute (epoch seconds) has passed, and nothing else", async () => {
    const now = new Date("2026-05-01T12:00:00Z");
    const id = (name: string) => `${name}-${Date.now()}-${Math.random()}`;
    const expired = id("expired");
    const justExpired = id("just-expired");
    const live = id("live");
    const profile = id("profile");
    const textTtl = id("text-ttl");
    const ancient = id("ancient");
    await put({ UserID: { S: expired }, [TTL]: { N: seconds(new Date("2026-05-01T10:00:00Z")) } });
    await put({ UserID: { S: justExpired }, [TTL]: { N: seconds(now) } });
    await put({ UserID: { S: live }, [TTL]: { N: seconds(new Date("2026-05-01T12:00:01Z")) } });
    await put({ UserID: { S: profile }, Email: { S: "kept@example.com" } });
    // TTL ignores an attribute that is not a Number, and times more than five
    // years in the past, as DynamoDB documents.
    await put({ UserID: { S: textTtl }, [TTL]: { S: seconds(new Date("2026-05-01T10:00:00Z")) } });
    await put({ UserID: { S: ancient }, [TTL]: { N: seconds(new Date("2021-04-01T00:00:00Z")) } });

    expect(await deleteExpiredItems(client, TABLE, TTL, now)).toBeGreaterThanOrEqual(2);
    expect(await exists(expired)).toBe(false);
    expect(await exists(justExpired)).toBe(false);
    expect(await exists(live)).toBe(true);
    expect(await exists(profile)).toBe(true);
    expect(await exists(textTtl)).toBe(true);
    expect(await exists(ancient)).toBe(true);
  });

  it("the sweeper runs at once and on its interval until stopped", async () => {
    const past = { N: seconds(new Date(Date.now() - 60_000)) };
    const first = `sweep-1-${Date.now()}`;
    await put({ UserID: { S: first }, [TTL]: past });
    const sweeper = startExpirySweeper({
      endpoint: emulator.endpoint,
      region: "us-east-1",
      tableName: TABLE,
      attribute: TTL,
      intervalMs: 50,
      log: () => {},
    });
    await sweeper.idle();
    expect(await exists(first)).toBe(false);
    const second = `sweep-2-${Date.now()}`;
    await put({ UserID: { S: second }, [TTL]: past });
    await expect.poll(() => exists(second), { timeout: 5_000 }).toBe(false);
    await sweeper.stop();
    const third = `sweep-3-${Date.now()}`;
    await put({ UserID: { S: third }, [TTL]: past });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await exists(third)).toBe(true);
  });

  it("the local stack sweeps its table when it starts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "local-ttl-"));
    try {
      const first = await startLocalTarget({ dataDir, keepData: true });
      const expired = `expired-marker-${Date.now()}`;
      await put(
        {
          UserID: { S: expired },
          DeletedAt: { S: new Date(Date.now() - 7_200_000).toISOString() },
          [TTL]: { N: seconds(new Date(Date.now() - 60_000)) },
        },
        first.dynamodb,
        first.usersTable,
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
