import {
  action,
  awsError,
  getTable,
  type IndexDescription,
  run,
  type Store,
  type TableDescription,
  validate,
  validation,
  validationError,
} from "./dynalite";
import { backfillGlobalIndex, declareGlobalIndex, removeGlobalIndex } from "./indexes";

type Optional = { notNull?: boolean };

interface IndexUpdate {
  Create?: Pick<IndexDescription, "IndexName" | "KeySchema" | "Projection">;
  Delete?: { IndexName: string };
  Update?: unknown;
}

/**
 * dynalite's UpdateTable request shape, plus what creating an index on an on-demand table
 * sends: AttributeDefinitions, and no ProvisionedThroughput.
 */
function rules() {
  const { types, custom } = validation("UpdateTable");
  const copy = structuredClone(types) as typeof types & {
    GlobalSecondaryIndexUpdates: {
      children: { children: { Create: { children: { ProvisionedThroughput: Optional } } } };
    };
  };
  const definitions = structuredClone(validation("CreateTable").types.AttributeDefinitions);
  delete (definitions as Optional).notNull;
  copy.AttributeDefinitions = definitions;
  delete copy.GlobalSecondaryIndexUpdates.children.children.Create.children.ProvisionedThroughput
    .notNull;
  return { types: copy, custom };
}

const RULES = rules();

/**
 * UpdateTable, with what dynalite accepts but ignores: creating or deleting a global secondary
 * index (one per call, as DynamoDB allows). A new index is CREATING and backfilling in the reply,
 * and becomes ACTIVE once every item is indexed, in the background (`background` tracks it).
 */
export async function updateTable(
  store: Store,
  body: unknown,
  background: (work: Promise<unknown>) => void,
) {
  const data = validate(store, body, RULES);
  const updates = (data.GlobalSecondaryIndexUpdates ?? []) as IndexUpdate[];
  const change = updates.find((update) => update.Create || update.Delete);
  if (!change) return run(store, action("UpdateTable"), data);
  if (updates.length > 1) {
    throw awsError(
      "LimitExceededException",
      "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
    );
  }
  const name = data.TableName as string;
  const table = await getTable(store, name, false);
  if (busy(table)) {
    throw awsError(
      "ResourceInUseException",
      `Attempt to change a resource which is still in use: Table is being updated: ${name}`,
    );
  }
  const existing = (table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName);
  if (change.Delete) {
    if (!existing.includes(change.Delete.IndexName)) {
      throw awsError(
        "ResourceNotFoundException",
        `Requested resource not found: Index: ${change.Delete.IndexName} not found`,
      );
    }
    await removeGlobalIndex(store, name, change.Delete.IndexName);
    return { TableDescription: await getTable(store, name, false) };
  }
  const { IndexName, KeySchema, Projection } = change.Create as NonNullable<IndexUpdate["Create"]>;
  if (existing.includes(IndexName)) {
    throw validationError(
      `One or more parameter values were invalid: Index already exists: ${IndexName}`,
    );
  }
  const given = (data.AttributeDefinitions ?? []) as TableDescription["AttributeDefinitions"];
  const defined = [...given, ...table.AttributeDefinitions].map((d) => d.AttributeName);
  const keys = KeySchema.map((element) => element.AttributeName);
  if (keys.some((key) => !defined.includes(key))) {
    throw validationError(
      `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(", ")}], AttributeDefinitions: [${given.map((d) => d.AttributeName).join(", ")}]`,
    );
  }
  const index = { IndexName, KeySchema, Projection };
  const described = await declareGlobalIndex(store, name, index, given);
  background(backfillGlobalIndex(store, described, index));
  return { TableDescription: described };
}

const busy = (table: TableDescription) =>
  table.TableStatus !== "ACTIVE" ||
  (table.GlobalSecondaryIndexes ?? []).some((index) => index.IndexStatus !== "ACTIVE");

/** DynamoDB refuses to read an index that is still being filled. */
export async function refuseBackfillingIndex(store: Store, body: unknown) {
  const { TableName, IndexName } = (body ?? {}) as { TableName?: unknown; IndexName?: unknown };
  if (typeof TableName !== "string" || typeof IndexName !== "string") return;
  const table = await getTable(store, TableName).catch(() => undefined);
  const index = table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === IndexName);
  if (index?.Backfilling) {
    throw validationError(`Cannot read from backfilling global secondary index: ${IndexName}`);
  }
}
