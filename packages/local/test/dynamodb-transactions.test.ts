import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDBHarness, startDynamoDBHarness, tableSpec } from "./dynamodb-harness";

let h: DynamoDBHarness;

beforeAll(async () => {
  h = await startDynamoDBHarness();
  await h.emulator.applyTables([
    tableSpec("Accounts", {
      hashKey: "id",
      globalSecondaryIndexes: [{ name: "ByOwner", hashKey: "owner", projectionType: "ALL" }],
    }),
    tableSpec("Emails", { hashKey: "email" }),
  ]);
});

afterAll(async () => {
  await h?.stop();
});

const S = (value: string) => ({ S: value });
const N = (value: number) => ({ N: String(value) });
const account = (id: string) => ({ id: S(id) });
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;

async function get(table: string, key: Record<string, AttributeValue>) {
  return (
    await h.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))
  ).Item;
}

const put = (table: string, item: Record<string, AttributeValue>) =>
  h.client.send(new PutItemCommand({ TableName: table, Item: item }));

const transact = (items: TransactWriteItem[], token?: string) =>
  h.client.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token }));

async function cancellation(promise: Promise<unknown>) {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(TransactionCanceledException);
  return error as TransactionCanceledException;
}

describe("TransactWriteItems", () => {
  it("applies Put, Update, Delete and ConditionCheck on two tables together", async () => {
    const [a, b, c] = [unique("a"), unique("b"), unique("c")];
    await put("Accounts", { ...account(a), balance: N(10) });
    await put("Accounts", { ...account(c), balance: N(1) });
    const email = `${unique("user")}@example.com`;
    await transact([
      {
        Put: {
          TableName: "Emails",
          Item: { email: S(email), owner: S(b) },
          ConditionExpression: "attribute_not_exists(email)",
        },
      },
      { Put: { TableName: "Accounts", Item: { ...account(b), owner: S(b), balance: N(0) } } },
      {
        Update: {
          TableName: "Accounts",
          Key: account(a),
          UpdateExpression: "SET balance = balance - :five",
          ConditionExpression: "balance >= :five",
          ExpressionAttributeValues: { ":five": N(5) },
        },
      },
      { Delete: { TableName: "Accounts", Key: account(c) } },
    ]);
    expect(await get("Emails", { email: S(email) })).toEqual({ email: S(email), owner: S(b) });
    expect((await get("Accounts", account(a)))?.balance).toEqual(N(5));
    expect(await get("Accounts", account(c))).toBeUndefined();
    // Index entries are written with the items.
    const { Items } = await h.client.send(
      new ScanCommand({
        TableName: "Accounts",
        IndexName: "ByOwner",
        FilterExpression: "id = :b",
        ExpressionAttributeValues: { ":b": S(b) },
      }),
    );
    expect(Items).toHaveLength(1);
  });

  it("changes nothing when one condition fails, and gives a reason for each action in order", async () => {
    const [a, b] = [unique("a"), unique("b")];
    await put("Accounts", { ...account(a), balance: N(3) });
    const error = await cancellation(
      transact([
        { Put: { TableName: "Accounts", Item: { ...account(b), balance: N(1) } } },
        {
          Update: {
            TableName: "Accounts",
            Key: account(a),
            UpdateExpression: "SET balance = balance - :five",
            ConditionExpression: "balance >= :five",
            ExpressionAttributeValues: { ":five": N(5) },
          },
        },
        {
          ConditionCheck: {
            TableName: "Accounts",
            Key: account(unique("none")),
            ConditionExpression: "attribute_exists(id)",
          },
        },
      ]),
    );
    expect(error.message).toBe(
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, ConditionalCheckFailed]",
    );
    expect(error.CancellationReasons).toEqual([
      { Code: "None" },
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
    ]);
    expect(await get("Accounts", account(b))).toBeUndefined();
    expect((await get("Accounts", account(a)))?.balance).toEqual(N(3));
  });

  it("returns the item as it was on a failed condition with ReturnValuesOnConditionCheckFailure ALL_OLD", async () => {
    const a = unique("a");
    await put("Accounts", { ...account(a), balance: N(3) });
    const check = (returnValues: "ALL_OLD" | "NONE" | undefined, id = a) => ({
      ConditionCheck: {
        TableName: "Accounts",
        Key: account(id),
        ConditionExpression: "balance > :ten",
        ExpressionAttributeValues: { ":ten": N(10) },
        ReturnValuesOnConditionCheckFailure: returnValues,
      },
    });
    const error = await cancellation(
      transact([
        check("ALL_OLD"),
        {
          Put: {
            TableName: "Emails",
            Item: { email: S(unique("e")) },
            ConditionExpression: "attribute_exists(email)",
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
      ]),
    );
    expect(error.CancellationReasons).toEqual([
      {
        Code: "ConditionalCheckFailed",
        Message: "The conditional request failed",
        Item: { ...account(a), balance: N(3) },
      },
      // There was no item to return.
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
    ]);
    const without = await cancellation(transact([check("NONE")]));
    expect(without.CancellationReasons?.[0]?.Item).toBeUndefined();
  });

  it("cancels with a ValidationError reason for what fails only when applied", async () => {
    const a = unique("a");
    await put("Accounts", { ...account(a), balance: S("not a number") });
    const error = await cancellation(
      transact([
        { Put: { TableName: "Emails", Item: { email: S(unique("e")) } } },
        {
          Update: {
            TableName: "Accounts",
            Key: account(a),
            UpdateExpression: "SET balance = balance + :one",
            ExpressionAttributeValues: { ":one": N(1) },
          },
        },
        { Delete: { TableName: "Accounts", Key: { id: N(1) } } },
        { Put: { TableName: "Accounts", Item: { id: N(2) } } },
      ]),
    );
    expect(error.CancellationReasons).toEqual([
      { Code: "None" },
      { Code: "None" },
      { Code: "ValidationError", Message: "The provided key element does not match the schema" },
      {
        Code: "ValidationError",
        Message:
          "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N",
      },
    ]);
    const applied = await cancellation(
      transact([
        { Put: { TableName: "Emails", Item: { email: S(unique("e")) } } },
        {
          Update: {
            TableName: "Accounts",
            Key: account(a),
            UpdateExpression: "SET balance = balance + :one",
            ExpressionAttributeValues: { ":one": N(1) },
          },
        },
      ]),
    );
    expect(applied.CancellationReasons).toEqual([
      { Code: "None" },
      {
        Code: "ValidationError",
        Message: "An operand in the update expression has an incorrect data type",
      },
    ]);
  });

  it("refuses a malformed transaction as a whole with ValidationException", async () => {
    const a = unique("a");
    const refusal = async (items: unknown[], message: string | RegExp) => {
      const error = await h.client
        .send(new TransactWriteItemsCommand({ TransactItems: items as TransactWriteItem[] }))
        .catch((caught: Error) => caught);
      expect(error).toMatchObject({ name: "ValidationException" });
      expect((error as Error).message).toMatch(message);
    };
    await refusal(
      [
        {
          ConditionCheck: {
            TableName: "Accounts",
            Key: account(a),
            ConditionExpression: "attribute_exists(id)",
          },
        },
        { Put: { TableName: "Accounts", Item: account(a) } },
      ],
      "Transaction request cannot include multiple operations on one item",
    );
    await refusal(
      [],
      /at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    );
    await refusal(
      Array.from({ length: 101 }, (_, i) => ({
        Put: { TableName: "Accounts", Item: account(`${a}-${i}`) },
      })),
      /at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100/,
    );
    await refusal(
      [
        {
          Put: { TableName: "Accounts", Item: account(a) },
          Delete: { TableName: "Accounts", Key: account(a) },
        },
      ],
      "TransactItems can only contain one of Check, Put, Update or Delete",
    );
    await refusal(
      [{ Put: { TableName: "Accounts", Item: { id: S("") } } }],
      /cannot contain an empty string value/,
    );
    await refusal(
      [{ Update: { TableName: "Accounts", Key: account(a), UpdateExpression: "SET = oops" } }],
      /^Invalid UpdateExpression: Syntax error/,
    );
    const big = "x".repeat(350 * 1024);
    await refusal(
      Array.from({ length: 12 }, (_, i) => ({
        Put: { TableName: "Accounts", Item: { ...account(`${a}-big-${i}`), big: S(big) } },
      })),
      "Transaction request cannot be larger than 4 MB",
    );
    // 100 actions are fine.
    await transact(
      Array.from({ length: 100 }, (_, i) => ({
        Put: { TableName: "Accounts", Item: account(`${a}-ok-${i}`) },
      })),
    );
    expect(await get("Accounts", account(`${a}-ok-99`))).toBeDefined();
    await expect(
      transact([{ Put: { TableName: "Nope", Item: account(a) } }]),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Requested resource not found",
    });
  });

  it("is idempotent for a ClientRequestToken for 10 minutes, by the stack's clock", async () => {
    const a = unique("a");
    await put("Accounts", { ...account(a), balance: N(0) });
    const increment = (by: number): TransactWriteItem[] => [
      {
        Update: {
          TableName: "Accounts",
          Key: account(a),
          UpdateExpression: "ADD balance :n",
          ExpressionAttributeValues: { ":n": N(by) },
        },
      },
    ];
    const token = unique("token");
    await transact(increment(1), token);
    await transact(increment(1), token);
    expect((await get("Accounts", account(a)))?.balance).toEqual(N(1));
    await expect(transact(increment(2), token)).rejects.toMatchObject({
      name: "IdempotentParameterMismatchException",
    });
    h.clock.advance(10 * 60);
    await transact(increment(1), token);
    expect((await get("Accounts", account(a)))?.balance).toEqual(N(2));

    // A cancelled transaction leaves its token free for the retry.
    const retry = unique("token");
    const guarded: TransactWriteItem[] = [
      {
        ConditionCheck: {
          TableName: "Accounts",
          Key: account(a),
          ConditionExpression: "balance >= :five",
          ExpressionAttributeValues: { ":five": N(5) },
        },
      },
    ];
    await cancellation(transact(guarded, retry));
    await h.client.send(
      new UpdateItemCommand({
        TableName: "Accounts",
        Key: account(a),
        UpdateExpression: "SET balance = :five",
        ExpressionAttributeValues: { ":five": N(5) },
      }),
    );
    await expect(transact(guarded, retry)).resolves.toBeDefined();
  });
});

describe("TransactGetItems", () => {
  it("reads items in order, {} for a missing one, with projections", async () => {
    const [a, b] = [unique("a"), unique("b")];
    await put("Accounts", { ...account(a), balance: N(1), owner: S("ada") });
    await put("Accounts", { ...account(b), balance: N(2) });
    const { Responses } = await h.client.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: "Accounts", Key: account(b) } },
          { Get: { TableName: "Accounts", Key: account(unique("none")) } },
          {
            Get: {
              TableName: "Accounts",
              Key: account(a),
              ProjectionExpression: "#o",
              ExpressionAttributeNames: { "#o": "owner" },
            },
          },
        ],
      }),
    );
    expect(Responses).toEqual([
      { Item: { ...account(b), balance: N(2) } },
      {},
      { Item: { owner: S("ada") } },
    ]);
  });

  it("refuses two reads of one item, a missing table and more than 100 reads", async () => {
    const a = unique("a");
    const get = (items: unknown[]) =>
      h.client.send(new TransactGetItemsCommand({ TransactItems: items as never }));
    await expect(
      get([
        { Get: { TableName: "Accounts", Key: account(a) } },
        { Get: { TableName: "Accounts", Key: account(a) } },
      ]),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: "Transaction request cannot include multiple operations on one item",
    });
    await expect(get([{ Get: { TableName: "Nope", Key: account(a) } }])).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
    await expect(
      get(
        Array.from({ length: 101 }, (_, i) => ({
          Get: { TableName: "Accounts", Key: account(`${a}-${i}`) },
        })),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/less than or equal to 100/),
    });
  });
});

describe("isolation from single-item writes", () => {
  it("never shows a transfer half done, while single-item writes hit the same items", async () => {
    const [a, b] = [unique("a"), unique("b")];
    await put("Accounts", { ...account(a), balance: N(1000) });
    await put("Accounts", { ...account(b), balance: N(0) });
    const transfer = (): TransactWriteItem[] => [
      {
        Update: {
          TableName: "Accounts",
          Key: account(a),
          UpdateExpression: "SET balance = balance - :one",
          ConditionExpression: "balance >= :one",
          ExpressionAttributeValues: { ":one": N(1) },
        },
      },
      {
        Update: {
          TableName: "Accounts",
          Key: account(b),
          UpdateExpression: "SET balance = balance + :one",
          ExpressionAttributeValues: { ":one": N(1) },
        },
      },
    ];
    // Single-item writes that keep the sum: tagging both items, one at a time.
    const tag = (id: string, n: number) =>
      h.client.send(
        new UpdateItemCommand({
          TableName: "Accounts",
          Key: account(id),
          UpdateExpression: "SET tag = :n",
          ExpressionAttributeValues: { ":n": N(n) },
        }),
      );
    const snapshot = async () => {
      const { Responses } = await h.client.send(
        new TransactGetItemsCommand({
          TransactItems: [
            { Get: { TableName: "Accounts", Key: account(a) } },
            { Get: { TableName: "Accounts", Key: account(b) } },
          ],
        }),
      );
      return Number(Responses?.[0]?.Item?.balance?.N) + Number(Responses?.[1]?.Item?.balance?.N);
    };
    const sums: number[] = [];
    await Promise.all([
      ...Array.from({ length: 60 }, () => transact(transfer())),
      ...Array.from({ length: 60 }, (_, i) => tag(i % 2 ? a : b, i)),
      ...Array.from({ length: 30 }, async () => sums.push(await snapshot())),
    ]);
    expect(sums.every((sum) => sum === 1000)).toBe(true);
    expect((await get("Accounts", account(a)))?.balance).toEqual(N(940));
    expect((await get("Accounts", account(b)))?.balance).toEqual(N(60));
  });
});

describe("ReturnValuesOnConditionCheckFailure on single-item writes", () => {
  it("puts the item on ConditionalCheckFailedException with ALL_OLD, for PutItem, UpdateItem and DeleteItem", async () => {
    const a = unique("a");
    const stored = { ...account(a), balance: N(3) };
    await put("Accounts", stored);
    const failed = {
      ConditionExpression: "balance > :ten",
      ExpressionAttributeValues: { ":ten": N(10) },
    };
    const attempts = [
      (rv?: "ALL_OLD" | "NONE") =>
        h.client.send(
          new PutItemCommand({
            TableName: "Accounts",
            Item: account(a),
            ...failed,
            ReturnValuesOnConditionCheckFailure: rv,
          }),
        ),
      (rv?: "ALL_OLD" | "NONE") =>
        h.client.send(
          new UpdateItemCommand({
            TableName: "Accounts",
            Key: account(a),
            UpdateExpression: "SET balance = :ten",
            ...failed,
            ReturnValuesOnConditionCheckFailure: rv,
          }),
        ),
      (rv?: "ALL_OLD" | "NONE") =>
        h.client.send(
          new DeleteItemCommand({
            TableName: "Accounts",
            Key: account(a),
            ...failed,
            ReturnValuesOnConditionCheckFailure: rv,
          }),
        ),
    ];
    for (const attempt of attempts) {
      const withItem = await attempt("ALL_OLD").catch((error: unknown) => error);
      expect(withItem).toBeInstanceOf(ConditionalCheckFailedException);
      expect((withItem as ConditionalCheckFailedException).Item).toEqual(stored);
      expect((withItem as Error).message).toBe("The conditional request failed");
      for (const rv of ["NONE", undefined] as const) {
        const without = await attempt(rv).catch((error: unknown) => error);
        expect(without).toBeInstanceOf(ConditionalCheckFailedException);
        expect((without as ConditionalCheckFailedException).Item).toBeUndefined();
      }
    }
    expect(await get("Accounts", account(a))).toEqual(stored);
    const missing = await h.client
      .send(
        new PutItemCommand({
          TableName: "Accounts",
          Item: account(unique("none")),
          ConditionExpression: "attribute_exists(id)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      )
      .catch((error: unknown) => error);
    expect((missing as ConditionalCheckFailedException).Item).toBeUndefined();
    await expect(
      h.client.send(
        new PutItemCommand({
          TableName: "Accounts",
          Item: account(a),
          ReturnValuesOnConditionCheckFailure: "ALL_NEW" as never,
        }),
      ),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    });
  });
});
