import {
  callback,
  db,
  getItem,
  getTable,
  type IndexDescription,
  type Item,
  lockItems,
  lockTable,
  type Store,
  storageKey,
  type TableDescription,
} from "./dynalite";
import { commit } from "./writes";

type Definitions = TableDescription["AttributeDefinitions"];

async function changeTable(store: Store, name: string, change: (table: TableDescription) => void) {
  const release = await lockTable(store, name);
  try {
    const table = await getTable(store, name, false);
    change(table);
    await callback((done) => store.tableDb.put(name, table, done));
    return table;
  } finally {
    release();
  }
}

/** Only the definitions of attributes some key uses, as DynamoDB keeps them. */
function keyDefinitions(table: TableDescription, definitions: Definitions): Definitions {
  const used = new Set(
    [
      table.KeySchema,
      ...[...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map(
        (index) => index.KeySchema,
      ),
    ]
      .flat()
      .map((element) => element.AttributeName),
  );
  const byName = new Map(definitions.map((definition) => [definition.AttributeName, definition]));
  return [...byName.values()].filter((definition) => used.has(definition.AttributeName));
}

type NewIndex = Pick<IndexDescription, "IndexName" | "KeySchema" | "Projection">;

/**
 * Adds a global secondary index to a live table and fills it from the items already there, the
 * way DynamoDB backfills one (items whose index key is missing or of another type are not
 * indexed). Returns how many items were indexed.
 */
export async function addGlobalIndex(
  store: Store,
  name: string,
  index: NewIndex,
  definitions: Definitions,
) {
  const table = await declareGlobalIndex(store, name, index, definitions);
  return backfillGlobalIndex(store, table, index);
}

/** The index in the table's description, CREATING and backfilling; writes keep it up to date. */
export function declareGlobalIndex(
  store: Store,
  name: string,
  index: NewIndex,
  definitions: Definitions,
) {
  return changeTable(store, name, (table) => {
    table.GlobalSecondaryIndexes = [
      ...(table.GlobalSecondaryIndexes ?? []),
      {
        ...index,
        IndexStatus: "CREATING",
        Backfilling: true,
        IndexArn: `${table.TableArn}/index/${index.IndexName}`,
        IndexSizeBytes: 0,
        ItemCount: 0,
        ProvisionedThroughput: {
          ReadCapacityUnits: 0,
          WriteCapacityUnits: 0,
          NumberOfDecreasesToday: 0,
        },
      },
    ];
    table.AttributeDefinitions = keyDefinitions(table, [
      ...table.AttributeDefinitions,
      ...definitions,
    ]);
  });
}

/** Indexes every item under its lock, from its current version; then the index is ACTIVE. */
export async function backfillGlobalIndex(store: Store, table: TableDescription, index: NewIndex) {
  const name = table.TableName;
  const type = (attribute: string) =>
    table.AttributeDefinitions.find((definition) => definition.AttributeName === attribute)
      ?.AttributeType ?? "";
  // An index key of another type, or an empty string or binary, is an index key violation.
  const indexed = (item: Item) =>
    index.KeySchema.every(({ AttributeName }) => {
      const value = item[AttributeName]?.[type(AttributeName)];
      return value !== undefined && value !== "";
    });
  let count = 0;
  for await (const value of store.getItemDb(name).createValueStream()) {
    const key = db.createKey(value as Item, table);
    const release = await lockItems(store, [{ table: name, key }]);
    try {
      const item = await getItem(store, name, key);
      if (!item || !indexed(item)) continue;
      const { puts } = db.getIndexActions([index as IndexDescription], null, item, table);
      await commit(
        store,
        puts.map((put) => ({
          type: "put" as const,
          key: storageKey.index("Global", name, put.index, put.key),
          value: put.item,
        })),
      );
      count += 1;
    } finally {
      release();
    }
  }
  await changeTable(store, name, (table) => {
    const added = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.IndexName);
    if (added) {
      added.IndexStatus = "ACTIVE";
      delete added.Backfilling;
      added.ItemCount = count;
    }
  });
  return count;
}

/** Removes a global secondary index and its entries; the table's items are untouched. */
export async function removeGlobalIndex(store: Store, name: string, indexName: string) {
  await changeTable(store, name, (table) => {
    const kept = (table.GlobalSecondaryIndexes ?? []).filter((gsi) => gsi.IndexName !== indexName);
    if (kept.length) table.GlobalSecondaryIndexes = kept;
    else delete table.GlobalSecondaryIndexes;
    table.AttributeDefinitions = keyDefinitions(table, table.AttributeDefinitions);
  });
  await callback((done) => store.deleteIndexDb("Global", name, indexName, done));
}
