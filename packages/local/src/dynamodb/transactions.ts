import {
  type BatchOperation,
  type DynaliteError,
  db,
  getItem,
  getTable,
  type Item,
  lockItems,
  type Store,
  type TableDescription,
  validate,
  validation,
  validationError,
} from "./dynalite";
import type { ClientTokens } from "./idempotency";
import { commit, isConditionFailure, planWrite, type WriteKind } from "./writes";

/** "The aggregate size of the items in the transaction cannot exceed 4 MB." */
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
const MAX_ACTIONS = 100;

const tableName = {
  type: "String",
  notNull: true,
  regex: "[a-zA-Z0-9_.-]+",
  lengthGreaterThanOrEqual: 3,
  lengthLessThanOrEqual: 255,
};
const attributeMap = { type: "Map<AttributeValue>", children: "AttrStruct<ValueStruct>" };
const expressionParts = {
  ConditionExpression: { type: "String" },
  ExpressionAttributeNames: { type: "Map<java.lang.String>", children: "String" },
  ExpressionAttributeValues: attributeMap,
  ReturnValuesOnConditionCheckFailure: { type: "String", enum: ["ALL_OLD", "NONE"] },
};
const key = { ...attributeMap, notNull: true };
const capacity = { type: "String", enum: ["INDEXES", "TOTAL", "NONE"] };
const actionList = (children: Record<string, unknown>) => ({
  type: "List",
  notNull: true,
  lengthGreaterThanOrEqual: 1,
  lengthLessThanOrEqual: MAX_ACTIONS,
  children: { type: "ValueStruct<TransactItem>", children },
});

/** The request shapes of the API reference (API_TransactWriteItems, API_TransactGetItems). */
const TRANSACT_WRITE = {
  types: {
    TransactItems: actionList({
      Put: {
        type: "FieldStruct<Put>",
        children: { TableName: tableName, Item: key, ...expressionParts },
      },
      Update: {
        type: "FieldStruct<Update>",
        children: {
          TableName: tableName,
          Key: key,
          UpdateExpression: { type: "String", notNull: true },
          ...expressionParts,
        },
      },
      Delete: {
        type: "FieldStruct<Delete>",
        children: { TableName: tableName, Key: key, ...expressionParts },
      },
      ConditionCheck: {
        type: "FieldStruct<ConditionCheck>",
        children: {
          TableName: tableName,
          Key: key,
          ...expressionParts,
          ConditionExpression: { type: "String", notNull: true },
        },
      },
    }),
    ClientRequestToken: { type: "String", lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 36 },
    ReturnConsumedCapacity: capacity,
    ReturnItemCollectionMetrics: { type: "String", enum: ["SIZE", "NONE"] },
  },
};

const TRANSACT_GET = {
  types: {
    TransactItems: actionList({
      Get: {
        type: "FieldStruct<Get>",
        notNull: true,
        children: {
          TableName: tableName,
          Key: key,
          ProjectionExpression: { type: "String" },
          ExpressionAttributeNames: expressionParts.ExpressionAttributeNames,
        },
      },
    }),
    ReturnConsumedCapacity: capacity,
  },
};

type ActionKind = "Put" | "Update" | "Delete" | "ConditionCheck";
const SINGLE: Record<ActionKind, WriteKind> = {
  Put: "PutItem",
  Update: "UpdateItem",
  Delete: "DeleteItem",
  // A condition check is validated as a delete with a condition, and never written.
  ConditionCheck: "DeleteItem",
};

interface Target {
  kind: ActionKind | "Get";
  data: Record<string, unknown>;
  table: TableDescription;
  key?: string;
  keyError?: DynaliteError;
  returnOnFailure?: unknown;
}

interface Reason {
  Code: string;
  Message?: string;
  Item?: Item;
}

/**
 * Each action validated as its single-item operation (expressions parsed), its table found and
 * its key computed. An empty-string key is refused outright; a key that does not match the
 * schema becomes that action's ValidationError reason, as DynamoDB cancels for it.
 */
async function targets(store: Store, actions: Record<string, Record<string, unknown>>[]) {
  const tables = new Map<string, TableDescription>();
  const found: Target[] = [];
  for (const action of actions) {
    const kinds = Object.keys(action) as (ActionKind | "Get")[];
    const kind = kinds[0];
    if (kinds.length !== 1 || kind === undefined) {
      throw validationError("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    const { ReturnValuesOnConditionCheckFailure: returnOnFailure, ...data } = action[kind] ?? {};
    const rules = validation(kind === "Get" ? "GetItem" : SINGLE[kind]);
    const message = rules.custom?.(data, store);
    if (message) throw validationError(message);
    const name = data.TableName as string;
    const table = tables.get(name) ?? (await getTable(store, name));
    tables.set(name, table);
    const target = (kind === "Put" ? data.Item : data.Key) as Item;
    const keyError =
      kind === "Put" ? db.validateItem(target, table) : db.validateKey(target, table);
    if (keyError && (kind === "Get" || /cannot contain an empty/.test(keyError.message))) {
      throw keyError;
    }
    found.push(
      keyError
        ? { kind, data, table, keyError, returnOnFailure }
        : { kind, data, table, key: db.createKey(target, table), returnOnFailure },
    );
  }
  const seen = new Set<string>();
  for (const { table, key } of found) {
    const id = `${table.TableName}\u0000${key}`;
    if (key !== undefined && seen.has(id)) {
      throw validationError("Transaction request cannot include multiple operations on one item");
    }
    seen.add(id);
  }
  return found;
}

function cancelled(reasons: Reason[]) {
  const codes = reasons.map((reason) => reason.Code).join(", ");
  const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`;
  return Object.assign(new Error(message), {
    statusCode: 400,
    body: {
      __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
      Message: message,
      CancellationReasons: reasons,
    },
  });
}

function conditionFailed(existing: Item | undefined, returnOnFailure: unknown): Reason {
  return {
    Code: "ConditionalCheckFailed",
    Message: "The conditional request failed",
    ...(returnOnFailure === "ALL_OLD" && existing ? { Item: existing } : {}),
  };
}

function consumedCapacity(mode: unknown, units: Map<string, number>, field: string) {
  if (mode !== "TOTAL" && mode !== "INDEXES") return {};
  return {
    ConsumedCapacity: [...units].map(([TableName, CapacityUnits]) => ({
      TableName,
      CapacityUnits,
      [field]: CapacityUnits,
      ...(mode === "INDEXES" ? { Table: { CapacityUnits } } : {}),
    })),
  };
}

const addUnits = (units: Map<string, number>, table: string, value: number) =>
  units.set(table, (units.get(table) ?? 0) + value);

/**
 * TransactWriteItems as the API reference documents it: every action's condition is checked
 * and every write planned under the locks of all its items; then either all writes are committed
 * in one batch or none, and a cancellation lists a reason per action, in order.
 */
export async function transactWriteItems(store: Store, body: unknown, tokens: ClientTokens) {
  const input = validate(store, body, TRANSACT_WRITE);
  const found = await targets(
    store,
    input.TransactItems as Record<string, Record<string, unknown>>[],
  );
  if (found.some((target) => target.keyError)) {
    throw cancelled(
      found.map(({ keyError }) =>
        keyError ? { Code: "ValidationError", Message: keyError.message } : { Code: "None" },
      ),
    );
  }
  const size = found.reduce(
    (sum, { data }) =>
      sum +
      db.itemSize((data.Item ?? data.Key) as Item) +
      db.itemSize((data.ExpressionAttributeValues ?? {}) as Item),
    0,
  );
  if (size > MAX_TRANSACTION_BYTES) {
    throw validationError("Transaction request cannot be larger than 4 MB");
  }

  const token = input.ClientRequestToken as string | undefined;
  const { ClientRequestToken: _, ...parameters } = body as Record<string, unknown>;
  if (token && tokens.begin(token, JSON.stringify(parameters)) === "replay") return {};
  let committed = false;
  try {
    const reply = await runTransaction(store, found, input.ReturnConsumedCapacity);
    committed = true;
    return reply;
  } finally {
    if (token) {
      if (committed) tokens.finish(token);
      else tokens.abandon(token);
    }
  }
}

async function runTransaction(store: Store, found: Target[], capacityMode: unknown) {
  const locks = found.map(({ table, key }) => ({ table: table.TableName, key: key as string }));
  const release = await lockItems(store, locks);
  try {
    const reasons: Reason[] = [];
    const operations: BatchOperation[] = [];
    const units = new Map<string, number>();
    for (const target of found) {
      const name = target.table.TableName;
      const existing = await getItem(store, name, target.key as string);
      addUnits(units, name, 2 * db.capacityUnits(existing ?? (target.data.Item as Item), false));
      if (target.kind === "ConditionCheck") {
        const failed = db.checkConditional(target.data, existing);
        reasons.push(failed ? conditionFailed(existing, target.returnOnFailure) : { Code: "None" });
        continue;
      }
      const kind = SINGLE[target.kind as ActionKind];
      const plan = await planWrite(store, kind, target.data, target.table, existing);
      if (plan.ok) {
        operations.push(...plan.operations);
        reasons.push({ Code: "None" });
      } else if (isConditionFailure(plan.error)) {
        reasons.push(conditionFailed(existing, target.returnOnFailure));
      } else {
        reasons.push({ Code: "ValidationError", Message: plan.error.message });
      }
    }
    if (reasons.some((reason) => reason.Code !== "None")) throw cancelled(reasons);
    await commit(store, operations);
    return consumedCapacity(capacityMode, units, "WriteCapacityUnits");
  } finally {
    release();
  }
}

/** TransactGetItems: all items read under their locks, so no write lands between two reads. */
export async function transactGetItems(store: Store, body: unknown) {
  const input = validate(store, body, TRANSACT_GET);
  const found = await targets(
    store,
    input.TransactItems as Record<string, Record<string, unknown>>[],
  );
  const locks = found.map(({ table, key }) => ({ table: table.TableName, key: key as string }));
  const release = await lockItems(store, locks);
  let items: (Item | undefined)[];
  try {
    items = await Promise.all(
      found.map(({ table, key }) => getItem(store, table.TableName, key as string)),
    );
  } finally {
    release();
  }
  const size = items.reduce((sum, item) => sum + (item ? db.itemSize(item) : 0), 0);
  if (size > MAX_TRANSACTION_BYTES) {
    throw validationError("The aggregate size of the items in the transaction exceeded 4 MB");
  }
  const units = new Map<string, number>();
  const Responses = found.map(({ table, data }, index) => {
    const item = items[index];
    addUnits(units, table.TableName, 2 * db.capacityUnits(item, true, true));
    if (!item) return {};
    const projection = data._projection as { paths: unknown[] } | undefined;
    return { Item: projection ? db.mapPaths(projection.paths, item) : item };
  });
  return {
    Responses,
    ...consumedCapacity(input.ReturnConsumedCapacity, units, "ReadCapacityUnits"),
  };
}
