import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { usersTableKeySchema } from "@userprofile/core/users-table";
import dynalite from "dynalite";
import { close, listen } from "./net";

export interface DynamoDBEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** dynalite on LevelDB: on disk when `dataDir` is given, in memory otherwise. */
export async function startDynamoDB(options: {
  port: number;
  host?: string;
  dataDir?: string;
}): Promise<DynamoDBEmulator> {
  const host = options.host ?? "127.0.0.1";
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0 });
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
