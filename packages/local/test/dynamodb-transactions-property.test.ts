import {
  type AttributeValue,
  ScanCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DynamoDBHarness, startDynamoDBHarness, tableSpec } from "./dynamodb-harness";

/** What the table should hold: pk → its value and optional index key. */
type Model = Map<string, { v: number; g?: string }>;

type Condition =
  | { kind: "exists" }
  | { kind: "missing" }
  | { kind: "atLeast"; x: number }
  | { kind: "below"; x: number };

type Action =
  | { type: "Put"; pk: string; v: number; g?: string; condition?: Condition }
  | { type: "Add"; pk: string; d: number; condition?: Condition }
  | { type: "Delete"; pk: string; condition?: Condition }
  | { type: "Check"; pk: string; condition: Condition };

const KEYS = ["k0", "k1", "k2", "k3"];
const condition = fc.oneof(
  fc.constant<Condition>({ kind: "exists" }),
  fc.constant<Condition>({ kind: "missing" }),
  fc.integer({ min: -3, max: 3 }).map((x): Condition => ({ kind: "atLeast", x })),
  fc.integer({ min: -3, max: 3 }).map((x): Condition => ({ kind: "below", x })),
);
const action = (pk: string) =>
  fc.oneof(
    fc.record(
      {
        type: fc.constant("Put" as const),
        pk: fc.constant(pk),
        v: fc.integer({ min: -3, max: 3 }),
        g: fc.constantFrom("red", "blue"),
        condition,
      },
      { requiredKeys: ["type", "pk", "v"] },
    ),
    fc.record(
      {
        type: fc.constant("Add" as const),
        pk: fc.constant(pk),
        d: fc.integer({ min: -2, max: 2 }),
        condition,
      },
      { requiredKeys: ["type", "pk", "d"] },
    ),
    fc.record(
      { type: fc.constant("Delete" as const), pk: fc.constant(pk), condition },
      { requiredKeys: ["type", "pk"] },
    ),
    fc.record({ type: fc.constant("Check" as const), pk: fc.constant(pk), condition }),
  );
/** One to four actions on distinct items: DynamoDB refuses two on the same one. */
const transaction = fc
  .uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 4 })
  .chain((keys) => fc.tuple(...keys.map(action)));

function holds(model: Model, pk: string, condition: Condition | undefined) {
  const item = model.get(pk);
  switch (condition?.kind) {
    case undefined:
      return true;
    case "exists":
      return item !== undefined;
    case "missing":
      return item === undefined;
    case "atLeast":
      return item !== undefined && item.v >= condition.x;
    case "below":
      return item !== undefined && item.v < condition.x;
  }
}

function expression(condition: Condition | undefined) {
  switch (condition?.kind) {
    case undefined:
      return {};
    case "exists":
      return { ConditionExpression: "attribute_exists(pk)" };
    case "missing":
      return { ConditionExpression: "attribute_not_exists(pk)" };
    case "atLeast":
    case "below":
      return {
        ConditionExpression: condition.kind === "atLeast" ? "v >= :x" : "v < :x",
        ExpressionAttributeValues: { ":x": { N: String(condition.x) } },
      };
  }
}

function request(TableName: string, a: Action): TransactWriteItem {
  const key = { pk: { S: a.pk } };
  const cond = expression(a.condition);
  const values = (extra: Record<string, AttributeValue>) => ({
    ExpressionAttributeValues: { ...cond.ExpressionAttributeValues, ...extra },
  });
  switch (a.type) {
    case "Put":
      return {
        Put: {
          TableName,
          Item: { ...key, v: { N: String(a.v) }, ...(a.g ? { g: { S: a.g } } : {}) },
          ...cond,
        },
      };
    case "Add":
      return {
        Update: {
          TableName,
          Key: key,
          UpdateExpression: "ADD v :d",
          ...cond,
          ...values({ ":d": { N: String(a.d) } }),
        },
      };
    case "Delete":
      return { Delete: { TableName, Key: key, ...cond } };
    case "Check":
      return { ConditionCheck: { TableName, Key: key, ConditionExpression: "", ...cond } };
  }
}

/** The whole transaction or none of it: the model's next state, or the reasons it is refused. */
function apply(model: Model, actions: Action[]): { next: Model; codes?: string[] } {
  const passed = actions.map((a) => holds(model, a.pk, a.condition));
  if (passed.some((ok) => !ok)) {
    return { next: model, codes: passed.map((ok) => (ok ? "None" : "ConditionalCheckFailed")) };
  }
  const next: Model = new Map(model);
  for (const a of actions) {
    const item = next.get(a.pk);
    if (a.type === "Put") next.set(a.pk, a.g ? { v: a.v, g: a.g } : { v: a.v });
    if (a.type === "Add") next.set(a.pk, { ...item, v: (item?.v ?? 0) + a.d });
    if (a.type === "Delete") next.delete(a.pk);
  }
  return { next };
}

let h: DynamoDBHarness;

beforeAll(async () => {
  h = await startDynamoDBHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe("TransactWriteItems, all or nothing (property)", () => {
  it("leaves the table, and its index, equal to a model that applies each whole transaction or none", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(transaction, { minLength: 1, maxLength: 8 }),
        async (transactions) => {
          // A fresh table per run: the model starts empty.
          const table = `Ledger${++run}`;
          await h.emulator.applyTables([
            tableSpec(table, {
              hashKey: "pk",
              globalSecondaryIndexes: [{ name: "ByG", hashKey: "g", projectionType: "ALL" }],
            }),
          ]);
          const scan = async (index?: string) => {
            const { Items } = await h.client.send(
              new ScanCommand({ TableName: table, IndexName: index, ConsistentRead: !index }),
            );
            return new Map(
              (Items ?? []).map((item) => [
                item.pk?.S as string,
                item.g ? { v: Number(item.v?.N), g: item.g.S } : { v: Number(item.v?.N) },
              ]),
            );
          };
          let model: Model = new Map();
          for (const actions of transactions) {
            const { next, codes } = apply(model, actions);
            const outcome = await h.client
              .send(
                new TransactWriteItemsCommand({
                  TransactItems: actions.map((a) => request(table, a)),
                }),
              )
              .then(() => null)
              .catch((error: unknown) => error);
            if (codes) {
              expect(outcome).toBeInstanceOf(TransactionCanceledException);
              expect(
                (outcome as TransactionCanceledException).CancellationReasons?.map((r) => r.Code),
              ).toEqual(codes);
            } else {
              expect(outcome).toBeNull();
            }
            model = next;
            expect(await scan()).toEqual(model);
            expect(await scan("ByG")).toEqual(new Map([...model].filter(([, item]) => item.g)));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
