import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import type { TableSpec } from "./spec";

/** What creating a table takes: its name, keys and indexes. */
export type TableKeys = Pick<TableSpec, "name" | "attributes" | "hashKey" | "rangeKey"> &
  Partial<Pick<TableSpec, "globalSecondaryIndexes" | "localSecondaryIndexes">>;

/** Creates a table with its keys and indexes if it is missing; returns whether it did. */
export async function createMissingTable(client: DynamoDBClient, table: TableKeys) {
  const globalSecondaryIndexes = table.globalSecondaryIndexes ?? [];
  const localSecondaryIndexes = table.localSecondaryIndexes ?? [];
  try {
    await client.send(new DescribeTableCommand({ TableName: table.name }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const projection = (index: { projectionType: string; nonKeyAttributes?: string[] }) => ({
    ProjectionType: index.projectionType as "ALL",
    ...(index.nonKeyAttributes ? { NonKeyAttributes: index.nonKeyAttributes } : {}),
  });
  const keys = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: "HASH" as const },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
  ];
  await client.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: table.attributes.map((a) => ({
        AttributeName: a.name,
        AttributeType: a.type,
      })),
      KeySchema: keys(table.hashKey, table.rangeKey),
      ...(globalSecondaryIndexes.length
        ? {
            GlobalSecondaryIndexes: globalSecondaryIndexes.map((index) => ({
              IndexName: index.name,
              KeySchema: keys(index.hashKey, index.rangeKey),
              Projection: projection(index),
            })),
          }
        : {}),
      ...(localSecondaryIndexes.length
        ? {
            LocalSecondaryIndexes: localSecondaryIndexes.map((index) => ({
              IndexName: index.name,
              KeySchema: keys(table.hashKey, index.rangeKey),
              Projection: projection(index),
            })),
          }
        : {}),
    }),
  );
  // Wait for ACTIVE as AWS callers must; it also lets dynalite finish its internal table
  // update before anything could close the database.
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    if (Table?.TableStatus === "ACTIVE") return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
