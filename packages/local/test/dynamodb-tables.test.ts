import {
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TableChangeError, tableChangeLines } from "../src/dynamodb";
import type { TableSpec } from "../src/spec";
import { type DynamoDBHarness, startDynamoDBHarness, tableSpec } from "./dynamodb-harness";

const orders = (changes: Partial<Omit<TableSpec, "name">> = {}) =>
  tableSpec("Orders", {
    hashKey: "customer",
    rangeKey: "orderId",
    attributes: [
      { name: "customer", type: "S" },
      { name: "orderId", type: "S" },
      { name: "placedAt", type: "N" },
      { name: "status", type: "S" },
    ],
    globalSecondaryIndexes: [
      { name: "ByStatus", hashKey: "status", rangeKey: "placedAt", projectionType: "KEYS_ONLY" },
    ],
    localSecondaryIndexes: [
      {
        name: "ByPlacedAt",
        rangeKey: "placedAt",
        projectionType: "INCLUDE",
        nonKeyAttributes: ["total"],
      },
    ],
    ...changes,
  });

const sessions = tableSpec("Sessions", {
  hashKey: "id",
  globalSecondaryIndexes: [{ name: "ByUser", hashKey: "user", projectionType: "ALL" }],
});

let h: DynamoDBHarness;

beforeAll(async () => {
  h = await startDynamoDBHarness({ onDisk: true });
});

afterAll(async () => {
  await h?.stop();
});

const order = (customer: string, orderId: string, placedAt: number, status: string) => ({
  customer: { S: customer },
  orderId: { S: orderId },
  placedAt: { N: String(placedAt) },
  status: { S: status },
  total: { N: "42" },
  note: { S: `note ${orderId}` },
});

describe("tables from the declarations", () => {
  it("creates every declared table with its keys, indexes and projections, on demand", async () => {
    const changes = await h.emulator.applyTables([orders(), sessions]);
    expect(changes.created).toEqual(["Orders", "Sessions"]);
    expect(tableChangeLines(changes)).toEqual([
      "dynamodb: created table Orders",
      "dynamodb: created table Sessions",
    ]);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: "Orders" }));
    expect(Table).toMatchObject({
      TableStatus: "ACTIVE",
      TableArn: "arn:aws:dynamodb:us-east-1:000000000000:table/Orders",
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
      KeySchema: [
        { AttributeName: "customer", KeyType: "HASH" },
        { AttributeName: "orderId", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "ByStatus",
          IndexStatus: "ACTIVE",
          Projection: { ProjectionType: "KEYS_ONLY" },
          KeySchema: [
            { AttributeName: "status", KeyType: "HASH" },
            { AttributeName: "placedAt", KeyType: "RANGE" },
          ],
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: "ByPlacedAt",
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["total"] },
        },
      ],
    });
    expect(
      Object.fromEntries(
        (Table?.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]),
      ),
    ).toEqual({ customer: "S", orderId: "S", placedAt: "N", status: "S" });
  });

  it("queries the table by sort key and each index, with its projection", async () => {
    for (const item of [
      order("ada", "o1", 300, "open"),
      order("ada", "o2", 100, "shipped"),
      order("ada", "o3", 200, "open"),
      order("bob", "o4", 150, "open"),
    ]) {
      await h.client.send(new PutItemCommand({ TableName: "Orders", Item: item }));
    }
    const query = async (input: Partial<ConstructorParameters<typeof QueryCommand>[0]>) =>
      (await h.client.send(new QueryCommand({ TableName: "Orders", ...input } as never))).Items;

    const bySortKey = await query({
      KeyConditionExpression: "customer = :c AND orderId BETWEEN :a AND :b",
      ExpressionAttributeValues: { ":c": { S: "ada" }, ":a": { S: "o2" }, ":b": { S: "o3" } },
    });
    expect(bySortKey?.map((item) => item.orderId?.S)).toEqual(["o2", "o3"]);

    const byStatus = await query({
      IndexName: "ByStatus",
      KeyConditionExpression: "#s = :open",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":open": { S: "open" } },
    });
    // Sorted by the index's range key; KEYS_ONLY keeps the index and table keys only.
    expect(byStatus).toEqual([
      {
        status: { S: "open" },
        placedAt: { N: "150" },
        customer: { S: "bob" },
        orderId: { S: "o4" },
      },
      {
        status: { S: "open" },
        placedAt: { N: "200" },
        customer: { S: "ada" },
        orderId: { S: "o3" },
      },
      {
        status: { S: "open" },
        placedAt: { N: "300" },
        customer: { S: "ada" },
        orderId: { S: "o1" },
      },
    ]);

    const byPlacedAt = await query({
      IndexName: "ByPlacedAt",
      KeyConditionExpression: "customer = :c AND placedAt > :t",
      ExpressionAttributeValues: { ":c": { S: "ada" }, ":t": { N: "150" } },
    });
    // INCLUDE adds `total` but not `note` or `status`.
    expect(byPlacedAt?.map((item) => Object.keys(item).sort())).toEqual([
      ["customer", "orderId", "placedAt", "total"],
      ["customer", "orderId", "placedAt", "total"],
    ]);
    expect(byPlacedAt?.map((item) => item.orderId?.S)).toEqual(["o3", "o1"]);
  });

  it("keeps two tables apart", async () => {
    await h.client.send(
      new PutItemCommand({ TableName: "Sessions", Item: { id: { S: "s1" }, user: { S: "ada" } } }),
    );
    const { Items } = await h.client.send(
      new QueryCommand({
        TableName: "Sessions",
        IndexName: "ByUser",
        KeyConditionExpression: "#u = :u",
        ExpressionAttributeNames: { "#u": "user" },
        ExpressionAttributeValues: { ":u": { S: "ada" } },
      }),
    );
    expect(Items).toEqual([{ id: { S: "s1" }, user: { S: "ada" } }]);
    const missing = await h.client.send(
      new GetItemCommand({
        TableName: "Orders",
        Key: { customer: { S: "s1" }, orderId: { S: "x" } },
      }),
    );
    expect(missing.Item).toBeUndefined();
  });

  it("changes nothing when the declarations did not change", async () => {
    expect(tableChangeLines(await h.emulator.applyTables([orders(), sessions]))).toEqual([]);
  });

  it("adds a global secondary index to a live table, indexing the items already there", async () => {
    const withIndex = orders({
      attributes: [...orders().attributes, { name: "total", type: "N" }],
      globalSecondaryIndexes: [
        ...orders().globalSecondaryIndexes,
        { name: "ByTotal", hashKey: "total", projectionType: "ALL" },
      ],
    });
    // Items whose new index key has another type, or is empty, are not indexed, as in
    // DynamoDB's backfill (index key violations).
    await h.client.send(
      new PutItemCommand({
        TableName: "Orders",
        Item: { ...order("cy", "o5", 50, "open"), total: { S: "not a number" } },
      }),
    );
    const changes = await h.emulator.applyTables([withIndex, sessions]);
    expect(changes.indexesAdded).toEqual([{ table: "Orders", index: "ByTotal", itemsIndexed: 4 }]);
    const { Items } = await h.client.send(
      new QueryCommand({
        TableName: "Orders",
        IndexName: "ByTotal",
        KeyConditionExpression: "#t = :t",
        ExpressionAttributeNames: { "#t": "total" },
        ExpressionAttributeValues: { ":t": { N: "42" } },
      }),
    );
    expect(Items?.map((item) => item.orderId?.S).sort()).toEqual(["o1", "o2", "o3", "o4"]);
    expect(Items?.[0]?.note).toBeDefined();
    // Writes after it keep the index up to date.
    await h.client.send(
      new UpdateItemCommand({
        TableName: "Orders",
        Key: { customer: { S: "ada" }, orderId: { S: "o1" } },
        UpdateExpression: "SET #t = :t",
        ExpressionAttributeNames: { "#t": "total" },
        ExpressionAttributeValues: { ":t": { N: "7" } },
      }),
    );
    const seven = await h.client.send(
      new QueryCommand({
        TableName: "Orders",
        IndexName: "ByTotal",
        KeyConditionExpression: "#t = :t",
        ExpressionAttributeNames: { "#t": "total" },
        ExpressionAttributeValues: { ":t": { N: "7" } },
      }),
    );
    expect(seven.Items?.map((item) => item.orderId?.S)).toEqual(["o1"]);

    // A changed projection rebuilds the index; an index no longer declared is removed.
    const rebuilt = await h.emulator.applyTables([
      orders({
        attributes: withIndex.attributes,
        globalSecondaryIndexes: [
          { name: "ByTotal", hashKey: "total", projectionType: "KEYS_ONLY" },
        ],
      }),
      sessions,
    ]);
    expect(tableChangeLines(rebuilt)).toEqual([
      "dynamodb: rebuilt index ByTotal of Orders, whose definition changed (4 item(s) indexed)",
      "dynamodb: removed index ByStatus from Orders",
    ]);
    const { Table } = await h.client.send(new DescribeTableCommand({ TableName: "Orders" }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["ByTotal"]);
    expect(Table?.AttributeDefinitions?.map((d) => d.AttributeName).sort()).toEqual([
      "customer",
      "orderId",
      "placedAt",
      "total",
    ]);
    const removed = await h.client
      .send(
        new QueryCommand({
          TableName: "Orders",
          IndexName: "ByStatus",
          KeyConditionExpression: "#s = :s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": { S: "open" } },
        }),
      )
      .catch((error: Error) => error);
    expect(removed).toMatchObject({ name: "ValidationException" });
  });

  it("refuses a changed key schema, naming the table, the change and what to do; data is kept", async () => {
    const changed = tableSpec("Orders", { hashKey: "customer" });
    const refusal = await h.emulator.applyTables([changed]).catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(TableChangeError);
    expect((refusal as Error).message).toBe(
      'Table "Orders" (sst:aws:Dynamo "Orders"): its key schema changed from customer (S), orderId (S) locally to customer (S) in sst.config.ts. DynamoDB cannot change a table\'s key schema; on AWS the table is replaced, with its data. The local table and its data are unchanged: run `pnpm reset:local` to delete all local data and start from empty tables, or give the table a new name.',
    );
    const { Item } = await h.client.send(
      new GetItemCommand({
        TableName: "Orders",
        Key: { customer: { S: "ada" }, orderId: { S: "o2" } },
      }),
    );
    expect(Item?.status?.S).toBe("shipped");
  });

  it("refuses a key attribute whose type changed", async () => {
    const refusal = await h.emulator
      .applyTables([
        tableSpec("Sessions", {
          hashKey: "id",
          attributes: [{ name: "id", type: "N" }],
          globalSecondaryIndexes: sessions.globalSecondaryIndexes,
        }),
      ])
      .catch((error: Error) => error);
    expect((refusal as Error).message).toContain(
      "its key schema changed from id (S) locally to id (N)",
    );
  });

  it("refuses an added or changed local secondary index, before changing any table", async () => {
    const fresh = tableSpec("Fresh", { hashKey: "id" });
    const refusal = await h.emulator
      .applyTables([
        fresh,
        orders({
          localSecondaryIndexes: [
            { name: "ByStatusLocal", rangeKey: "status", projectionType: "ALL" },
          ],
        }),
      ])
      .catch((error: Error) => error);
    expect(refusal).toBeInstanceOf(TableChangeError);
    expect((refusal as Error).message).toMatch(
      /^Table "Orders" \(sst:aws:Dynamo "Orders"\): its local secondary indexes changed from ByPlacedAt: .* locally to ByStatusLocal: customer \(S\), status \(S\); ALL in sst\.config\.ts\. DynamoDB creates local secondary indexes only with the table;.*`pnpm reset:local`/,
    );
    const created = await h.client
      .send(new DescribeTableCommand({ TableName: "Fresh" }))
      .catch((error: Error) => error);
    expect(created).toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("keeps a table no longer declared, with its data, and reports it", async () => {
    const changes = await h.emulator.applyTables([sessions]);
    expect(changes.notDeclared).toEqual(["Orders"]);
    expect(tableChangeLines(changes)).toEqual([
      "dynamodb: table Orders is no longer declared in sst.config.ts; kept with its data",
    ]);
  });

  it("keeps tables, indexes and items across a restart", async () => {
    await h.restart();
    const { Items } = await h.client.send(
      new QueryCommand({
        TableName: "Orders",
        IndexName: "ByTotal",
        KeyConditionExpression: "#t = :t",
        ExpressionAttributeNames: { "#t": "total" },
        ExpressionAttributeValues: { ":t": { N: "42" } },
      }),
    );
    expect(Items?.map((item) => item.orderId?.S).sort()).toEqual(["o2", "o3", "o4"]);
  });
});
