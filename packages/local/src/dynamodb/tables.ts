import type { TableSpec } from "../spec";
import {
  action,
  getTable,
  type IndexDescription,
  isDynaliteError,
  type KeySchemaElement,
  run,
  type Store,
  type TableDescription,
  validate,
  validation,
} from "./dynalite";
import { addGlobalIndex, removeGlobalIndex } from "./indexes";
import type { TimeToLive } from "./time-to-live";

/** What `applyTables` did, for the stack's log. */
export interface TableChanges {
  created: string[];
  indexesAdded: { table: string; index: string; itemsIndexed: number }[];
  /** A definition changed (keys or projection): dropped and filled again from the items. */
  indexesRebuilt: { table: string; index: string; itemsIndexed: number }[];
  indexesRemoved: { table: string; index: string }[];
  timeToLive: { table: string; attributeName: string }[];
  /** Local tables that sst.config.ts no longer declares: kept with their data. */
  notDeclared: string[];
}

/** A change a live DynamoDB table cannot take; the table and its data are left as they were. */
export class TableChangeError extends Error {
  override name = "TableChangeError";
}

type IndexSpec =
  | TableSpec["globalSecondaryIndexes"][number]
  | TableSpec["localSecondaryIndexes"][number];

const keySchema = (hashKey: string, rangeKey?: string): KeySchemaElement[] => [
  { AttributeName: hashKey, KeyType: "HASH" },
  ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: "RANGE" as const }] : []),
];

const projection = (index: IndexSpec) => ({
  ProjectionType: index.projectionType,
  ...(index.projectionType === "INCLUDE" ? { NonKeyAttributes: index.nonKeyAttributes ?? [] } : {}),
});

function typeIn(spec: TableSpec, attribute: string) {
  const type = spec.attributes.find((candidate) => candidate.name === attribute)?.type;
  if (!type) {
    throw new TableChangeError(
      `Table "${spec.name}" (${spec.origin.component} "${spec.origin.name}"): the key attribute "${attribute}" has no type among its fields.`,
    );
  }
  return type;
}

/** The table's (or an index's) keys as `name (type)`, comparable between a spec and a live table. */
const describeKeys = (elements: KeySchemaElement[], type: (name: string) => string) =>
  elements.map(({ AttributeName }) => `${AttributeName} (${type(AttributeName)})`).join(", ");

const describeIndex = (
  index: Pick<IndexDescription, "KeySchema" | "Projection">,
  type: (name: string) => string,
) =>
  `${describeKeys(index.KeySchema, type)}; ${index.Projection.ProjectionType}${
    index.Projection.NonKeyAttributes
      ? ` ${[...index.Projection.NonKeyAttributes].sort().join(",")}`
      : ""
  }`;

function createTableRequest(spec: TableSpec) {
  const gsis = spec.globalSecondaryIndexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(index.hashKey, index.rangeKey),
    Projection: projection(index),
  }));
  const lsis = spec.localSecondaryIndexes.map((index) => ({
    IndexName: index.name,
    KeySchema: keySchema(spec.hashKey, index.rangeKey),
    Projection: projection(index),
  }));
  const used = new Set(
    [
      keySchema(spec.hashKey, spec.rangeKey),
      ...gsis.map((i) => i.KeySchema),
      ...lsis.map((i) => i.KeySchema),
    ]
      .flat()
      .map((element) => element.AttributeName),
  );
  return {
    TableName: spec.name,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: keySchema(spec.hashKey, spec.rangeKey),
    AttributeDefinitions: [...used].map((name) => ({
      AttributeName: name,
      AttributeType: typeIn(spec, name),
    })),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length ? { LocalSecondaryIndexes: lsis } : {}),
  };
}

interface Plan {
  spec: TableSpec;
  request: ReturnType<typeof createTableRequest>;
  existing?: TableDescription;
  add: string[];
  rebuild: string[];
  remove: string[];
}

/** How a declared table differs from the local one; refuses what DynamoDB cannot change in place. */
function plan(spec: TableSpec, existing: TableDescription | undefined): Plan {
  const request = createTableRequest(spec);
  const result: Plan = { spec, request, existing, add: [], rebuild: [], remove: [] };
  if (!existing) return result;
  const liveType = (name: string) =>
    existing.AttributeDefinitions.find((d) => d.AttributeName === name)?.AttributeType ?? "?";
  const specType = (name: string) => typeIn(spec, name);
  const refuse = (what: string, live: string, declared: string, why: string) =>
    new TableChangeError(
      `Table "${spec.name}" (${spec.origin.component} "${spec.origin.name}"): its ${what} changed from ${live} locally to ${declared} in sst.config.ts. ${why} The local table and its data are unchanged: run \`pnpm reset:local\` to delete all local data and start from empty tables, or give the table a new name.`,
    );
  const liveKeys = describeKeys(existing.KeySchema, liveType);
  const declaredKeys = describeKeys(request.KeySchema, specType);
  if (liveKeys !== declaredKeys) {
    throw refuse(
      "key schema",
      liveKeys,
      declaredKeys,
      "DynamoDB cannot change a table's key schema; on AWS the table is replaced, with its data.",
    );
  }
  const lsis = (
    indexes: Pick<IndexDescription, "IndexName" | "KeySchema" | "Projection">[],
    type: (name: string) => string,
  ) =>
    indexes
      .map((index) => `${index.IndexName}: ${describeIndex(index, type)}`)
      .sort()
      .join(" | ") || "none";
  const liveLsis = lsis(existing.LocalSecondaryIndexes ?? [], liveType);
  const declaredLsis = lsis(request.LocalSecondaryIndexes ?? [], specType);
  if (liveLsis !== declaredLsis) {
    throw refuse(
      "local secondary indexes",
      liveLsis,
      declaredLsis,
      "DynamoDB creates local secondary indexes only with the table; on AWS the table is replaced, with its data.",
    );
  }
  const live = new Map(
    (existing.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]),
  );
  for (const index of request.GlobalSecondaryIndexes ?? []) {
    const current = live.get(index.IndexName);
    if (!current) result.add.push(index.IndexName);
    else if (describeIndex(current, liveType) !== describeIndex(index, specType))
      result.rebuild.push(index.IndexName);
  }
  const declared = new Set((request.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  result.remove = [...live.keys()].filter((name) => !declared.has(name));
  return result;
}

async function createTable(store: Store, spec: TableSpec, request: Plan["request"]) {
  try {
    await run(store, action("CreateTable"), validate(store, request, validation("CreateTable")));
  } catch (error) {
    if (!isDynaliteError(error)) throw error;
    throw new TableChangeError(
      `Table "${spec.name}" (${spec.origin.component} "${spec.origin.name}") cannot be created: ${error.body.message ?? error.body.__type}`,
    );
  }
  // createTableMs is 0: the table turns ACTIVE on the next turn of the event loop.
  while ((await getTable(store, spec.name, false)).TableStatus !== "ACTIVE") {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function listTables(store: Store) {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await run(
      store,
      action("ListTables"),
      start ? { ExclusiveStartTableName: start } : {},
    );
    names.push(...(page.TableNames as string[]));
    start = page.LastEvaluatedTableName as string | undefined;
  } while (start);
  return names;
}

/**
 * Makes the local tables match the declared ones: creates what is missing, adds, rebuilds or
 * removes global secondary indexes in place, and sets Time to Live. Every table is checked
 * before anything changes, so a refused change (key schema, local secondary indexes) leaves all
 * tables as they were. Data is always kept; tables no longer declared are kept and reported.
 */
export async function applyTables(
  store: Store,
  ttl: TimeToLive,
  tables: TableSpec[],
): Promise<TableChanges> {
  const plans: Plan[] = [];
  for (const spec of tables) {
    const existing = await getTable(store, spec.name, false).catch((error: unknown) => {
      if (isDynaliteError(error) && error.body.__type.endsWith("#ResourceNotFoundException"))
        return undefined;
      throw error;
    });
    plans.push(plan(spec, existing));
  }
  const changes: TableChanges = {
    created: [],
    indexesAdded: [],
    indexesRebuilt: [],
    indexesRemoved: [],
    timeToLive: [],
    notDeclared: [],
  };
  for (const { spec, request, existing, add, rebuild, remove } of plans) {
    if (!existing) {
      await createTable(store, spec, request);
      changes.created.push(spec.name);
    }
    const definitions = request.AttributeDefinitions;
    const gsi = (name: string) =>
      request.GlobalSecondaryIndexes?.find((index) => index.IndexName === name);
    for (const index of [...remove, ...rebuild]) await removeGlobalIndex(store, spec.name, index);
    for (const index of remove) changes.indexesRemoved.push({ table: spec.name, index });
    for (const [names, list] of [
      [add, changes.indexesAdded],
      [rebuild, changes.indexesRebuilt],
    ] as const) {
      for (const index of names) {
        const itemsIndexed = await addGlobalIndex(
          store,
          spec.name,
          gsi(index) as IndexDescription,
          definitions,
        );
        list.push({ table: spec.name, index, itemsIndexed });
      }
    }
    const wanted = spec.timeToLive?.attributeName;
    const current = await ttl.setting(spec.name);
    if (wanted && !(current?.enabled && current.attributeName === wanted)) {
      await ttl.set(spec.name, { attributeName: wanted, enabled: true });
      changes.timeToLive.push({ table: spec.name, attributeName: wanted });
    }
  }
  const declared = new Set(tables.map((spec) => spec.name));
  changes.notDeclared = (await listTables(store)).filter((name) => !declared.has(name));
  return changes;
}

/** One log line per change. */
export function tableChangeLines(changes: TableChanges): string[] {
  return [
    ...changes.created.map((table) => `dynamodb: created table ${table}`),
    ...changes.indexesAdded.map(
      ({ table, index, itemsIndexed }) =>
        `dynamodb: added index ${index} to ${table} (${itemsIndexed} item(s) indexed)`,
    ),
    ...changes.indexesRebuilt.map(
      ({ table, index, itemsIndexed }) =>
        `dynamodb: rebuilt index ${index} of ${table}, whose definition changed (${itemsIndexed} item(s) indexed)`,
    ),
    ...changes.indexesRemoved.map(
      ({ table, index }) => `dynamodb: removed index ${index} from ${table}`,
    ),
    ...changes.timeToLive.map(
      ({ table, attributeName }) => `dynamodb: time to live on ${table} by ${attributeName}`,
    ),
    ...changes.notDeclared.map(
      (table) =>
        `dynamodb: table ${table} is no longer declared in sst.config.ts; kept with its data`,
    ),
  ];
}
