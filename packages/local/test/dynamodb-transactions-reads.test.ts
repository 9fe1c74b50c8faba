import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  type TransactWriteItem,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { account, accountsAndEmails, N, S } from "./dynamodb-accounts";

const { h, unique, get, put, transact } = accountsAndEmails();

describe("TransactGetItems", () => {
  it("reads items in order, {} for a missing one, with projections", async () => {
    const [a, b] = [unique("a"), unique("b")];
    await put("Accounts", { ...account(a), balance: N(1), owner: S("ada") });
    await put("Accounts", { ...account(b), balance: N(2) });
    const { Responses } = await h().client.send(
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
      h().client.send(new TransactGetItemsCommand({ TransactItems: items as never }));
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
      h().client.send(
        new UpdateItemCommand({
          TableName: "Accounts",
          Key: account(id),
          UpdateExpression: "SET tag = :n",
          ExpressionAttributeValues: { ":n": N(n) },
        }),
      );
    const snapshot = async () => {
      const { Responses } = await h().client.send(
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
        h().client.send(
          new PutItemCommand({
            TableName: "Accounts",
            Item: account(a),
            ...failed,
            ReturnValuesOnConditionCheckFailure: rv,
          }),
        ),
      (rv?: "ALL_OLD" | "NONE") =>
        h().client.send(
          new UpdateItemCommand({
            TableName: "Accounts",
            Key: account(a),
            UpdateExpression: "SET balance = :ten",
            ...failed,
            ReturnValuesOnConditionCheckFailure: rv,
          }),
        ),
      (rv?: "ALL_OLD" | "NONE") =>
        h().client.send(
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
    const missing = await h()
      .client.send(
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
      h().client.send(
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
