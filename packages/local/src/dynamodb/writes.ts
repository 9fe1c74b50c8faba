import {
  action,
  type BatchOperation,
  callback,
  type DynaliteError,
  db,
  getItem,
  getTable,
  type Item,
  isDynaliteError,
  lockItems,
  run,
  type Store,
  storageKey,
  type TableDescription,
} from "./dynalite";

export type WriteKind = "PutItem" | "UpdateItem" | "DeleteItem";

/** What one write would do: the storage operations to commit and the operation's reply. */
export type PlannedWrite =
  | { ok: true; operations: BatchOperation[]; reply: Record<string, unknown> }
  | { ok: false; error: DynaliteError };

/**
 * Runs dynalite's own PutItem, UpdateItem or DeleteItem against a stand-in store that holds
 * `existing` and records what the action would write instead of writing it. The caller holds the
 * item's lock and commits the recorded operations (item and index entries) in one batch, so a
 * write, and a whole transaction, is all-or-nothing on disk too. Conditions, update expressions,
 * index upkeep and their errors are dynalite's.
 */
export async function planWrite(
  store: Store,
  kind: WriteKind,
  data: Record<string, unknown>,
  table: TableDescription,
  existing: Item | undefined,
): Promise<PlannedWrite> {
  const operations: BatchOperation[] = [];
  const recorder = (prefix: (key: string) => string) => ({
    lock: (_key: string, run: (release: (done: unknown) => unknown) => void) => run((done) => done),
    get: (_key: string, done: (error: null, item?: Item) => void) => done(null, existing),
    put: (key: string, value: unknown, done: (error: null) => void) => {
      operations.push({ type: "put", key: prefix(key), value });
      done(null);
    },
    del: (key: string, done: (error: null) => void) => {
      operations.push({ type: "del", key: prefix(key) });
      done(null);
    },
  });
  const standIn = {
    options: store.options,
    getTable: (_name: string, checkStatus: unknown, done?: unknown) =>
      ((typeof checkStatus === "function" ? checkStatus : done) as (e: null, t: unknown) => void)(
        null,
        table,
      ),
    getItemDb: (name: string) => recorder((key) => storageKey.item(name, key)),
    getIndexDb: (type: string, name: string, index: string) =>
      recorder((key) => storageKey.index(type, name, index, key)),
  } as unknown as Store;
  try {
    const reply = await run(standIn, action(kind), data);
    return { ok: true, operations, reply };
  } catch (error) {
    if (isDynaliteError(error)) return { ok: false, error };
    throw error;
  }
}

export function commit(store: Store, operations: BatchOperation[]) {
  if (operations.length === 0) return Promise.resolve();
  return callback((done) => store.db.batch(operations, done));
}

/** The item key of a write's target, or the ValidationException its key or item deserves. */
export function writeKey(kind: WriteKind, data: Record<string, unknown>, table: TableDescription) {
  const target = (kind === "PutItem" ? data.Item : data.Key) as Item;
  const invalid =
    kind === "PutItem" ? db.validateItem(target, table) : db.validateKey(target, table);
  if (invalid) throw invalid;
  return db.createKey(target, table);
}

/**
 * PutItem, UpdateItem or DeleteItem, validated already: under the item's lock, planned by
 * dynalite's action and committed at once. A failed condition carries the item as it was when
 * `ReturnValuesOnConditionCheckFailure` is `ALL_OLD` (DynamoDB returns no Item when there was none).
 */
export async function writeItem(
  store: Store,
  kind: WriteKind,
  data: Record<string, unknown>,
  returnOnFailure: string | undefined,
) {
  const name = data.TableName as string;
  const table = await getTable(store, name);
  const key = writeKey(kind, data, table);
  const release = await lockItems(store, [{ table: name, key }]);
  try {
    const existing = await getItem(store, name, key);
    const plan = await planWrite(store, kind, data, table, existing);
    if (!plan.ok) {
      if (returnOnFailure === "ALL_OLD" && existing && isConditionFailure(plan.error)) {
        plan.error.body.Item = existing;
      }
      throw plan.error;
    }
    await commit(store, plan.operations);
    return plan.reply;
  } finally {
    release();
  }
}

export function isConditionFailure(error: DynaliteError) {
  return error.body.__type.endsWith("#ConditionalCheckFailedException");
}
