import { createRequire } from "node:module";

/**
 * Typed access to dynalite's own modules (its store, validations and actions), which the local
 * DynamoDB runs in-process and extends: one LevelDB store shared by dynalite's operations and
 * ours, so both take the same per-item locks.
 */

export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;
type Callback<T = unknown> = (error: Error | null | undefined, value?: T) => void;

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: "HASH" | "RANGE";
}

export interface Projection {
  ProjectionType: "ALL" | "KEYS_ONLY" | "INCLUDE";
  NonKeyAttributes?: string[];
}

export interface IndexDescription {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  IndexStatus?: string;
  Backfilling?: boolean;
  [field: string]: unknown;
}

/** A table as dynalite keeps it (and DescribeTable returns it). */
export interface TableDescription {
  TableName: string;
  TableStatus: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  [field: string]: unknown;
}

type Lock = (
  keys: string | string[],
  run: (release: (done: () => void) => () => void) => void,
) => void;

export interface SubDb {
  get(key: string, callback: Callback<Item>): void;
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
  createValueStream(options?: Record<string, unknown>): AsyncIterable<unknown>;
  createKeyStream(options?: Record<string, unknown>): AsyncIterable<string>;
  lock: Lock;
}

export interface BatchOperation {
  type: "put" | "del";
  key: string;
  value?: unknown;
}

export interface Store {
  options: { maxItemSize: number };
  db: {
    get(key: string, callback: Callback): void;
    put(key: string, value: unknown, callback: Callback): void;
    del(key: string, callback: Callback): void;
    batch(operations: BatchOperation[], callback: Callback): void;
  };
  tableDb: SubDb & { awsRegion: string; awsAccountId: string };
  getItemDb(table: string): SubDb;
  getIndexDb(type: "Global" | "Local", table: string, index: string): SubDb;
  deleteIndexDb(type: "Global" | "Local", table: string, index: string, callback: Callback): void;
  getTable(name: string, checkStatus: boolean, callback: Callback<TableDescription>): void;
  lifecycleManager: { gracefulClose(callback: Callback): void };
}

/** An error as dynalite reports it: the HTTP status and DynamoDB's JSON error body. */
export interface DynaliteError extends Error {
  statusCode: number;
  body: { __type: string; message?: string; [field: string]: unknown };
}

export interface Validation {
  types: Record<string, unknown>;
  custom?: (data: Record<string, unknown>, store: Store) => string | undefined;
}

interface DbModule {
  create(options: Record<string, unknown>): Store;
  validationError(message: string): DynaliteError;
  validateItem(item: Item, table: TableDescription): DynaliteError | undefined;
  validateKey(key: Item, table: TableDescription): DynaliteError | undefined;
  createKey(item: Item, table: TableDescription, keySchema?: KeySchemaElement[]): string;
  checkConditional(data: Record<string, unknown>, existing: Item | undefined): DynaliteError | null;
  getIndexActions(
    indexes: IndexDescription[],
    existing: Item | null,
    item: Item | null,
    table: TableDescription,
  ): { puts: { index: string; key: string; item: Item }[]; deletes: unknown[] };
  itemSize(item: Item): number;
  capacityUnits(item: Item | undefined, isRead: boolean, isConsistent?: boolean): number;
  mapPaths(paths: unknown[], item: Item): Item;
}

interface ValidationsModule {
  checkTypes(data: unknown, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(
    data: Record<string, unknown>,
    types: Record<string, unknown>,
    custom: Validation["custom"],
    store: Store,
  ): void;
  validateExpressions(data: Record<string, unknown>): string | undefined;
}

export type Action = (store: Store, data: Record<string, unknown>, callback: Callback) => void;

const require = createRequire(import.meta.url);
export const db = require("dynalite/db") as DbModule;
export const validations = require("dynalite/validations") as ValidationsModule;

/** The operations dynalite implements, each with its request validation. */
export const DYNALITE_OPERATIONS = [
  "BatchGetItem",
  "BatchWriteItem",
  "CreateTable",
  "DeleteItem",
  "DeleteTable",
  "DescribeTable",
  "GetItem",
  "ListTables",
  "ListTagsOfResource",
  "PutItem",
  "Query",
  "Scan",
  "TagResource",
  "UntagResource",
  "UpdateItem",
  "UpdateTable",
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

const lowerFirst = (name: string) => `${name[0]?.toLowerCase()}${name.slice(1)}`;

const actions = new Map<DynaliteOperation, Action>();
const validationRules = new Map<DynaliteOperation, Validation>();

export function action(operation: DynaliteOperation): Action {
  let found = actions.get(operation);
  if (!found) {
    found = require(`dynalite/actions/${lowerFirst(operation)}`) as Action;
    actions.set(operation, found);
  }
  return found;
}

export function validation(operation: DynaliteOperation): Validation {
  let found = validationRules.get(operation);
  if (!found) {
    found = require(`dynalite/validations/${lowerFirst(operation)}`) as Validation;
    validationRules.set(operation, found);
  }
  return found;
}

export function isDynaliteError(error: unknown): error is DynaliteError {
  return error instanceof Error && typeof (error as DynaliteError).statusCode === "number";
}

/**
 * A DynamoDB error (`type` in DynamoDB's namespace unless it names its own); some shapes name
 * their text `Message` rather than `message`, as the SDK reads them.
 */
export function awsError(
  type: string,
  message: string,
  fields: Record<string, unknown> = {},
  messageMember: "message" | "Message" = "message",
): DynaliteError {
  return Object.assign(new Error(message), {
    statusCode: 400,
    body: {
      __type: type.includes("#") ? type : `com.amazonaws.dynamodb.v20120810#${type}`,
      [messageMember]: message,
      ...fields,
    },
  });
}

export const validationError = (message: string) => db.validationError(message);

/**
 * Type-checks and validates a request as dynalite does for its own operations: the AWS-shaped
 * SerializationException or ValidationException is thrown. Returns the checked copy (unknown
 * members dropped, expressions parsed into `_condition`, `_updates`, `_projection`).
 */
export function validate(store: Store, body: unknown, rules: Validation): Record<string, unknown> {
  const data = validations.checkTypes(body, rules.types);
  validations.checkValidations(data, rules.types, rules.custom, store);
  return data;
}

export function run(store: Store, operation: Action, data: Record<string, unknown>) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    operation(store, data, (error, value) =>
      error ? reject(error) : resolve((value ?? {}) as Record<string, unknown>),
    );
  });
}

export function callback<T>(call: (done: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call((error, value) => (error ? reject(error) : resolve(value as T)));
  });
}

/** The table, or ResourceNotFoundException; `active` also refuses a table being created. */
export function getTable(store: Store, name: string, active = true) {
  return callback<TableDescription>((done) => store.getTable(name, active, done));
}

/** A stored item, or undefined. */
export async function getItem(store: Store, table: string, key: string) {
  return callback<Item | undefined>((done) =>
    store.getItemDb(table).get(key, (error, item) => {
      if (error && error.name !== "NotFoundError") done(error);
      else done(null, error ? undefined : item);
    }),
  );
}

/** The main database keys dynalite uses for a table's items and index entries. */
export const storageKey = {
  item: (table: string, key: string) => `item-${table}~${key}`,
  index: (type: string, table: string, index: string, key: string) =>
    `index-${type.toLowerCase()}~${table}~${index}~${key}`,
};

/**
 * Takes dynalite's per-item locks on all the given keys (grouped by table) at once, in one
 * synchronous step, so two callers locking overlapping sets queue in one order and never deadlock.
 * Resolves with the function that releases them all.
 */
export function lockItems(store: Store, keys: { table: string; key: string }[]) {
  const byTable = new Map<string, Set<string>>();
  for (const { table, key } of keys) {
    const set = byTable.get(table) ?? new Set<string>();
    set.add(key);
    byTable.set(table, set);
  }
  return new Promise<() => void>((resolve) => {
    const releases: Array<() => void> = [];
    let waiting = byTable.size;
    const releaseAll = () => {
      for (const release of releases.splice(0)) release();
    };
    if (waiting === 0) return resolve(releaseAll);
    for (const [table, set] of byTable) {
      store.getItemDb(table).lock([...set], (releaser) => {
        releases.push(releaser(() => {}));
        waiting -= 1;
        if (waiting === 0) resolve(releaseAll);
      });
    }
  });
}

/** Serialises changes to one table's description, as dynalite's own UpdateTable does. */
export function lockTable(store: Store, name: string) {
  return new Promise<() => void>((resolve) => {
    store.tableDb.lock(name, (releaser) => resolve(releaser(() => {})));
  });
}
