import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  RestoreTableToPointInTimeCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDBHarness, startDynamoDBHarness, tableSpec } from "./dynamodb-harness";

let h: DynamoDBHarness;

beforeAll(async () => {
  h = await startDynamoDBHarness();
  await h.emulator.applyTables([tableSpec("Things", { hashKey: "id" })]);
});

afterAll(async () => {
  await h?.stop();
});

/** A raw JSON 1.0 call, signed enough for the emulator (it checks no signature). */
async function call(target: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(h.emulator.endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": target,
      authorization:
        "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x",
      ...headers,
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

describe("operations the local DynamoDB does not serve", () => {
  it("names the operation and says it is not emulated locally (PartiQL, for one)", async () => {
    const partiql = await h.client
      .send(new ExecuteStatementCommand({ Statement: "SELECT * FROM Things" }))
      .catch((error: Error) => error);
    expect(partiql).toMatchObject({ name: "UnknownOperationException" });
    expect((partiql as Error).message).toBe(
      "The DynamoDB operation ExecuteStatement is not emulated by the local DynamoDB (dynalite with this stack's extensions); it works on AWS. PartiQL is not supported locally: use GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan or the Transact* operations.",
    );
    const restore = await h.client
      .send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: "Things",
          TargetTableName: "Copy",
        }),
      )
      .catch((error: Error) => error);
    expect((restore as Error).message).toMatch(
      /^The DynamoDB operation RestoreTableToPointInTime is not emulated by the local DynamoDB .*The local DynamoDB serves .*TransactGetItems, TransactWriteItems, UntagResource, UpdateItem, UpdateTable, UpdateTimeToLive\.$/,
    );
  });

  it("answers a name that is no DynamoDB operation, and a malformed target", async () => {
    const unknown = await call("DynamoDB_20120810.Frobnicate", "{}");
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toEqual({
      __type: "com.amazon.coral.service#UnknownOperationException",
      message: "Frobnicate is not a DynamoDB operation.",
    });
    const malformed = await call("Nonsense", "{}");
    expect(JSON.parse(malformed.body)).toMatchObject({
      __type: "com.amazon.coral.service#UnknownOperationException",
      message: expect.stringContaining("DynamoDB_20120810.<Operation>"),
    });
  });
});

describe("UpdateTable with GlobalSecondaryIndexUpdates", () => {
  const create = (IndexName: string, attribute: string, definitions = [attribute]) =>
    h.client.send(
      new UpdateTableCommand({
        TableName: "Things",
        AttributeDefinitions: definitions.map((AttributeName) => ({
          AttributeName,
          AttributeType: "S",
        })),
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName,
              KeySchema: [{ AttributeName: attribute, KeyType: "HASH" }],
              Projection: { ProjectionType: "ALL" },
            },
          },
        ],
      }),
    );
  const byKind = () =>
    h.client.send(
      new QueryCommand({
        TableName: "Things",
        IndexName: "ByKind",
        KeyConditionExpression: "kind = :k",
        ExpressionAttributeValues: { ":k": { S: "tool" } },
      }),
    );

  it("creates an index that is backfilled from the items, then ACTIVE", async () => {
    for (const [id, kind] of [
      ["t1", "tool"],
      ["t2", "tool"],
      ["t3", ""],
    ] as const) {
      await h.client.send(
        new PutItemCommand({ TableName: "Things", Item: { id: { S: id }, kind: { S: kind } } }),
      );
    }
    const { TableDescription } = await create("ByKind", "kind");
    expect(TableDescription?.GlobalSecondaryIndexes).toMatchObject([
      { IndexName: "ByKind", IndexStatus: "CREATING", Backfilling: true },
    ]);
    await expect
      .poll(async () => {
        const { Table } = await h.client.send(new DescribeTableCommand({ TableName: "Things" }));
        return Table?.GlobalSecondaryIndexes?.[0];
      })
      // An empty string is an index key violation: t3 is not indexed.
      .toMatchObject({ IndexStatus: "ACTIVE", ItemCount: 2 });
    expect((await byKind()).Items?.map((item) => item.id?.S).sort()).toEqual(["t1", "t2"]);
  });

  it("refuses to read an index while it is being filled", async () => {
    await h.emulator.applyTables([tableSpec("Many", { hashKey: "id" })]);
    for (let batch = 0; batch < 20; batch++) {
      await h.client.send(
        new BatchWriteItemCommand({
          RequestItems: {
            Many: Array.from({ length: 25 }, (_, i) => ({
              PutRequest: { Item: { id: { S: `m${batch}-${i}` }, kind: { S: "tool" } } },
            })),
          },
        }),
      );
    }
    await h.client.send(
      new UpdateTableCommand({
        TableName: "Many",
        AttributeDefinitions: [{ AttributeName: "kind", AttributeType: "S" }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: "ByKind",
              KeySchema: [{ AttributeName: "kind", KeyType: "HASH" }],
              Projection: { ProjectionType: "KEYS_ONLY" },
            },
          },
        ],
      }),
    );
    const query = () =>
      h.client.send(
        new QueryCommand({
          TableName: "Many",
          IndexName: "ByKind",
          KeyConditionExpression: "kind = :k",
          ExpressionAttributeValues: { ":k": { S: "tool" } },
          Select: "COUNT",
        }),
      );
    // 500 items take far longer to index than one request takes to arrive.
    await expect(query()).rejects.toMatchObject({
      name: "ValidationException",
      message: "Cannot read from backfilling global secondary index: ByKind",
    });
    await expect.poll(async () => (await query().catch(() => ({ Count: -1 }))).Count).toBe(500);
  });

  it("refuses what DynamoDB refuses: a second index at once, an undefined key, a taken name", async () => {
    const two = await h.client
      .send(
        new UpdateTableCommand({
          TableName: "Things",
          GlobalSecondaryIndexUpdates: [
            { Delete: { IndexName: "ByKind" } },
            {
              Create: {
                IndexName: "ByColour",
                KeySchema: [{ AttributeName: "colour", KeyType: "HASH" }],
                Projection: { ProjectionType: "ALL" },
              },
            },
          ],
        }),
      )
      .catch((error: Error) => error);
    expect(two).toMatchObject({
      name: "LimitExceededException",
      message:
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
    });
    await expect(create("ByColour", "colour", [])).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining(
        "Some index key attributes are not defined in AttributeDefinitions",
      ),
    });
    await expect(create("ByKind", "kind")).rejects.toMatchObject({
      name: "ValidationException",
      message: "One or more parameter values were invalid: Index already exists: ByKind",
    });
  });

  it("deletes an index, keeping the items", async () => {
    const { TableDescription } = await h.client.send(
      new UpdateTableCommand({
        TableName: "Things",
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "ByKind" } }],
      }),
    );
    expect(TableDescription?.GlobalSecondaryIndexes).toBeUndefined();
    await expect(byKind()).rejects.toMatchObject({ name: "ValidationException" });
    expect(
      (await h.client.send(new GetItemCommand({ TableName: "Things", Key: { id: { S: "t1" } } })))
        .Item,
    ).toBeDefined();
    await expect(
      h.client.send(
        new UpdateTableCommand({
          TableName: "Things",
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "ByKind" } }],
        }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});

describe("requests DynamoDB refuses before any operation", () => {
  it("answers bad JSON, a missing signature, a wrong content type and a GET as DynamoDB does", async () => {
    const json = await call("DynamoDB_20120810.GetItem", "{oops");
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body)).toEqual({
      __type: "com.amazon.coral.service#SerializationException",
    });
    const unsigned = await call("DynamoDB_20120810.ListTables", "{}", { authorization: "" });
    expect(JSON.parse(unsigned.body)).toEqual({
      __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
      message: "Request is missing Authentication Token",
    });
    const text = await call("DynamoDB_20120810.ListTables", "{}", { "content-type": "text/plain" });
    expect(text).toEqual({ status: 404, body: "<UnknownOperationException/>\n" });
    const health = await fetch(h.emulator.endpoint);
    expect(await health.text()).toBe("healthy: dynamodb.us-east-1.amazonaws.com ");
  });

  it("validates as dynalite does, and keeps serving after bad input", async () => {
    const invalid = await h.client
      .send(new GetItemCommand({ TableName: "Things", Key: { id: { N: "1" } } }))
      .catch((error: Error) => error);
    expect(invalid).toMatchObject({
      name: "ValidationException",
      message: "The provided key element does not match the schema",
    });
    const exists = await h.client
      .send(
        new CreateTableCommand({
          TableName: "Things",
          BillingMode: "PAY_PER_REQUEST",
          KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        }),
      )
      .catch((error: Error) => error);
    expect(exists).toMatchObject({
      name: "ResourceInUseException",
      message: "Table already exists: Things",
    });
    const big = await fetch(h.emulator.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.PutItem",
      },
      body: "x".repeat(16 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect((await h.client.send(new ListTablesCommand({}))).TableNames).toContain("Things");
  });
});
