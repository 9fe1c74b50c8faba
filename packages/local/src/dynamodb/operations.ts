import * as sdk from "@aws-sdk/client-dynamodb";
import {
  action,
  awsError,
  DYNALITE_OPERATIONS,
  type DynaliteOperation,
  isDynaliteError,
  run,
  type Store,
  validate,
  validation,
} from "./dynalite";
import type { ClientTokens } from "./idempotency";
import type { TimeToLive } from "./time-to-live";
import { transactGetItems, transactWriteItems } from "./transactions";
import { refuseBackfillingIndex, updateTable } from "./update-table";
import { type WriteKind, writeItem } from "./writes";

export interface Context {
  store: Store;
  ttl: TimeToLive;
  tokens: ClientTokens;
  /** Work that goes on after the reply (an index backfill); stop waits for it. */
  background(work: Promise<unknown>): void;
}

type Handler = (context: Context, body: unknown) => Promise<unknown>;

/** PutItem, UpdateItem, DeleteItem, with `ReturnValuesOnConditionCheckFailure`, which dynalite drops. */
function write(kind: WriteKind): Handler {
  const rules = validation(kind);
  const types = {
    ...rules.types,
    ReturnValuesOnConditionCheckFailure: { type: "String", enum: ["ALL_OLD", "NONE"] },
  };
  return async ({ store }, body) => {
    const { ReturnValuesOnConditionCheckFailure: returnOnFailure, ...data } = validate(
      store,
      body,
      {
        types,
        custom: rules.custom,
      },
    );
    return writeItem(store, kind, data, returnOnFailure as string | undefined);
  };
}

const dynalite =
  (operation: DynaliteOperation): Handler =>
  ({ store }, body) =>
    run(store, action(operation), validate(store, body, validation(operation)));

const HANDLERS: Record<string, Handler> = {
  ...Object.fromEntries(DYNALITE_OPERATIONS.map((operation) => [operation, dynalite(operation)])),
  PutItem: write("PutItem"),
  UpdateItem: write("UpdateItem"),
  DeleteItem: write("DeleteItem"),
  TransactWriteItems: ({ store, tokens }, body) => transactWriteItems(store, body, tokens),
  TransactGetItems: ({ store }, body) => transactGetItems(store, body),
  UpdateTimeToLive: ({ ttl }, body) => ttl.update(body),
  DescribeTimeToLive: ({ ttl }, body) => ttl.describe(body),
  CreateTable: async (context, body) => {
    try {
      return await dynalite("CreateTable")(context, body);
    } catch (error) {
      // dynalite leaves the message empty; DynamoDB names the table.
      if (isDynaliteError(error) && error.body.__type.endsWith("#ResourceInUseException")) {
        error.body.message = `Table already exists: ${(body as { TableName: string }).TableName}`;
      }
      throw error;
    }
  },
  DeleteTable: async (context, body) => {
    const reply = await dynalite("DeleteTable")(context, body);
    await context.ttl.set((body as { TableName: string }).TableName, null);
    return reply;
  },
  UpdateTable: ({ store, background }, body) => updateTable(store, body, background),
  Query: async (context, body) => {
    await refuseBackfillingIndex(context.store, body);
    return dynalite("Query")(context, body);
  },
  Scan: async (context, body) => {
    await refuseBackfillingIndex(context.store, body);
    return dynalite("Scan")(context, body);
  },
};

/** Every operation of DynamoDB's API, as the SDK's commands name them. */
const AWS_OPERATIONS = new Set(
  Object.keys(sdk)
    .filter((name) => /^[A-Z]\w*Command$/.test(name))
    .map((name) => name.slice(0, -"Command".length)),
);

const UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException";
const PARTIQL = new Set(["ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"]);

export function unknownOperation(operation: string) {
  if (!AWS_OPERATIONS.has(operation)) {
    return awsError(UNKNOWN_OPERATION, `${operation} is not a DynamoDB operation.`);
  }
  const instead = PARTIQL.has(operation)
    ? "PartiQL is not supported locally: use GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan or the Transact* operations."
    : `The local DynamoDB serves ${Object.keys(HANDLERS).sort().join(", ")}.`;
  return awsError(
    UNKNOWN_OPERATION,
    `The DynamoDB operation ${operation} is not emulated by the local DynamoDB (dynalite with this stack's extensions); it works on AWS. ${instead}`,
  );
}

export function serve(context: Context, operation: string, body: unknown) {
  const handler = Object.hasOwn(HANDLERS, operation) ? HANDLERS[operation] : undefined;
  if (!handler) return Promise.reject(unknownOperation(operation));
  return handler(context, body);
}
