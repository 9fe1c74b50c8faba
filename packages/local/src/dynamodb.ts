import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
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
