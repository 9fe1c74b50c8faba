import {
  CreateTableCommand,
  ExecuteStatementCommand,
  GetItemCommand,
  ListTablesCommand,
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

  it("refuses an index created or deleted through UpdateTable rather than ignoring it", async () => {
    const created = await h.client
      .send(
        new UpdateTableCommand({
          TableName: "Things",
          AttributeDefinitions: [{ AttributeName: "kind", AttributeType: "S" }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: "ByKind",
                KeySchema: [{ AttributeName: "kind", KeyType: "HASH" }],
                Projection: { ProjectionType: "ALL" },
              },
            },
          ],
        }),
      )
      .catch((error: Error) => error);
    expect(created).toMatchObject({ name: "UnknownOperationException" });
    expect((created as Error).message).toMatch(
      /^UpdateTable with GlobalSecondaryIndexUpdates Create or Delete is not emulated .*Declare the index in sst\.config\.ts instead/,
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
    expect((await h.client.send(new ListTablesCommand({}))).TableNames).toEqual(["Things"]);
  });
});
