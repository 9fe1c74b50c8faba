/// <reference path="./vendor-types.d.ts" />
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { usersTableKeySchema } from "@userprofile/core/users-table";
import dynalite from "dynalite";
import type { AwsJsonError } from "./iam";
import { sendAwsJsonError } from "./iam";
import { BodyTooLargeError, close, guarded, listen, readBody, replayRequest } from "./net";

export interface DynamoDBEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** DynamoDB's largest request. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/**
 * dynalite on LevelDB: on disk when `dataDir` is given, in memory otherwise.
 * Each request is read whole before dynalite sees it, so `authorize` can
 * refuse it, and a client that disconnects mid-body cannot reach dynalite's
 * handler (which throws on a request error and would end the process).
 */
export async function startDynamoDB(options: {
  port: number;
  host?: string;
  dataDir?: string;
  authorize?: (request: IncomingMessage, body: Buffer) => AwsJsonError | null;
  log?: (line: string) => void;
}): Promise<DynamoDBEmulator> {
  const host = options.host ?? "127.0.0.1";
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0 });
  const [emulate] = server.listeners("request") as Array<
    (request: IncomingMessage, response: ServerResponse) => void
  >;
  if (!emulate) throw new Error("dynalite has no request handler");
  server.removeAllListeners("request");
  server.on(
    "request",
    guarded(
      async (request, response) => {
        let body: Buffer;
        try {
          body = await readBody(request, MAX_REQUEST_BYTES);
        } catch (error) {
          if (error instanceof BodyTooLargeError)
            response.writeHead(413, { connection: "close" }).end();
          else request.destroy();
          return;
        }
        const refusal = options.authorize?.(request, body);
        if (refusal) return sendAwsJsonError(response, refusal);
        emulate(replayRequest(request, body), response);
      },
      (error) => options.log?.(`dynamodb: request failed: ${String(error)}`),
      (response) =>
        sendAwsJsonError(response, {
          protocol: "1.0",
          status: 500,
          body: {
            __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
            message: "Internal server error",
          },
        }),
    ),
  );
  const port = await listen(server, options.port, host, "LOCAL_DYNAMODB_PORT");
  return { endpoint: `http://${host}:${port}`, stop: () => close(server) };
}

/** Static credentials: the emulators accept any, and the SDK must not look for real ones. */
export const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

export function localDynamoDBClient(endpoint: string, region: string) {
  return new DynamoDBClient({ endpoint, region, credentials: localCredentials });
}

/** Creates the Users table from the same key schema infra deploys, if it is missing. */
export async function ensureUsersTable(client: DynamoDBClient, tableName: string) {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { fields, primaryIndex } = usersTableKeySchema;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: Object.entries(fields).map(([name, type]) => ({
        AttributeName: name,
        AttributeType: type === "string" ? "S" : type === "number" ? "N" : "B",
      })),
      KeySchema: [{ AttributeName: primaryIndex.hashKey, KeyType: "HASH" }],
    }),
  );
  // Wait for ACTIVE as AWS callers must; it also lets dynalite finish its
  // internal table update before anything could close the database.
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** DynamoDB's TTL ignores expiry times more than five years in the past. */
const TTL_HORIZON_SECONDS = 5 * 365 * 24 * 60 * 60;

/**
 * dynalite has no Time to Live (UpdateTimeToLive is an unknown operation), so
 * the local stack expires items itself the way DynamoDB's TTL does
 * (developer guide, time-to-live-ttl-before-you-start): an item whose TTL
 * attribute is a Number of epoch seconds at or before now, and no more than
 * five years in the past, is deleted; other items are ignored. Each delete is
 * conditioned on the item still being expired, so an item written again since
 * the scan is kept. Returns how many were deleted.
 */
export async function deleteExpiredItems(
  client: DynamoDBClient,
  tableName: string,
  attribute: string,
  now = new Date(),
): Promise<number> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const expired = {
    ConditionExpression: "#ttl BETWEEN :oldest AND :now",
    ExpressionAttributeNames: { "#ttl": attribute },
    ExpressionAttributeValues: {
      ":oldest": { N: String(nowSeconds - TTL_HORIZON_SECONDS) },
      ":now": { N: String(nowSeconds) },
    },
  };
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const keyNames = (Table?.KeySchema ?? []).map((key) => key.AttributeName as string);
  let deleted = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: expired.ConditionExpression,
        ExpressionAttributeNames: expired.ExpressionAttributeNames,
        ExpressionAttributeValues: expired.ExpressionAttributeValues,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const key = Object.fromEntries(keyNames.map((name) => [name, item[name] as AttributeValue]));
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: key, ...expired }));
        deleted += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return deleted;
}

/** Runs deleteExpiredItems now and then every `intervalMs` until stopped. */
export function startExpirySweeper(options: {
  endpoint: string;
  region: string;
  tableName: string;
  attribute: string;
  intervalMs: number;
  /** The local stack's clock, so that a test moving it forward expires items too. */
  now?: () => Date;
  log: (line: string) => void;
}) {
  const client = localDynamoDBClient(options.endpoint, options.region);
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = running.then(async () => {
      try {
        const deleted = await deleteExpiredItems(
          client,
          options.tableName,
          options.attribute,
          options.now?.() ?? new Date(),
        );
        if (deleted) options.log(`dynamodb: time to live deleted ${deleted} expired item(s)`);
      } catch (error) {
        options.log(`dynamodb: time-to-live sweep failed (${(error as Error).name})`);
      }
    });
  };
  sweep();
  const timer = setInterval(sweep, options.intervalMs);
  timer.unref();
  return {
    /** Resolves when the sweeps started so far have finished. */
    idle: () => running,
    async stop() {
      clearInterval(timer);
      await running;
      client.destroy();
    },
  };
}
