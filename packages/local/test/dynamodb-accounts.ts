import {
  type AttributeValue,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, expect } from "vitest";
import { type DynamoDBHarness, startDynamoDBHarness, tableSpec } from "./dynamodb-harness";

/**
 * The transaction suites' DynamoDB: an Accounts table with an owner index and an Emails
 * table, started for the calling test file, with shorthands for its items.
 */
export function accountsAndEmails() {
  let harness: DynamoDBHarness | undefined;
  beforeAll(async () => {
    harness = await startDynamoDBHarness();
    await harness.emulator.applyTables([
      tableSpec("Accounts", {
        hashKey: "id",
        globalSecondaryIndexes: [{ name: "ByOwner", hashKey: "owner", projectionType: "ALL" }],
      }),
      tableSpec("Emails", { hashKey: "email" }),
    ]);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  const h = () => {
    if (!harness) throw new Error("The DynamoDB harness has not started.");
    return harness;
  };
  let counter = 0;
  return {
    h,
    unique: (prefix: string) => `${prefix}-${++counter}`,
    async get(table: string, key: Record<string, AttributeValue>) {
      return (
        await h().client.send(
          new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }),
        )
      ).Item;
    },
    put: (table: string, item: Record<string, AttributeValue>) =>
      h().client.send(new PutItemCommand({ TableName: table, Item: item })),
    transact: (items: TransactWriteItem[], token?: string) =>
      h().client.send(
        new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token }),
      ),
    async cancellation(promise: Promise<unknown>) {
      const error = await promise.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TransactionCanceledException);
      return error as TransactionCanceledException;
    },
  };
}

export const S = (value: string) => ({ S: value });
export const N = (value: number) => ({ N: String(value) });
export const account = (id: string) => ({ id: S(id) });
