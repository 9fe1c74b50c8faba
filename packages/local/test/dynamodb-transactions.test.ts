import {
  ScanCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { account, accountsAndEmails, N, S } from "./dynamodb-accounts";

const { h, unique, get, put, transact, cancellation } = accountsAndEmails();

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
    const { Items } = await h().client.send(
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
      const error = await h()
        .client.send(new TransactWriteItemsCommand({ TransactItems: items as TransactWriteItem[] }))
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
    h().clock.advance(10 * 60);
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
    await h().client.send(
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
