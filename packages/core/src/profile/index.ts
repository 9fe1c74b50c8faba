import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { ProfileFields } from "../profile-fields/index";
import { UsersTable } from "../users-table/index";
import { type FieldChanges, parseFieldChanges } from "./changes";

const A = UsersTable.attributes;

export namespace Profile {
  /** The profile as the API returns it, in this key order; a field with no value is `null`. */
  export type Info = { userId: string; email: string } & ProfileFields.Values & {
      createdAt: string;
      updatedAt: string;
    };

  /** What a new profile is made from: the user pool's record of the user. */
  export interface NewProfile {
    userId: string;
    email: string;
    /** The user's pool attributes (`given_name`…): each field takes its own, cleaned by its rule. */
    attributes?: Readonly<Record<string, string | undefined>>;
  }

  /** A validated change: a field set to a string, cleared with `null`, or left out. */
  export type Changes = FieldChanges;

  /**
   * What the table holds for a user. A deleted account leaves a marker (no
   * email, no names) until its ExpiresAt; a marker past that counts as absent
   * (DynamoDB's TTL deletes expired items only within a few days).
   */
  export type State =
    | { status: "active"; profile: Info }
    | { status: "deleted" }
    | { status: "absent" };

  /**
   * Validates a PATCH body against the editable fields. Unknown fields are
   * refused rather than ignored, so a client typo (`firstname`) is an error
   * instead of a silent no-op.
   */
  export const parseChanges = parseFieldChanges;

  export interface Store {
    tableName: string;
    client: DynamoDBDocumentClient;
  }

  export function store(tableName: string, client = new DynamoDBClient({})): Store {
    return {
      tableName,
      // A field left out is undefined: the document client drops undefined
      // top-level attributes itself (and throws on nested ones, which nothing writes).
      client: DynamoDBDocumentClient.from(client),
    };
  }

  /**
   * Writes a new profile once. The put is conditional so that Cognito's
   * retries of the trigger, a replayed confirmation or a concurrent heal never
   * overwrite `CreatedAt` or fields edited since, and a deleted account's marker
   * is never replaced before it expires. Field values come from the user pool
   * and are cleaned by their rule, never refused. Returns whether this call created it.
   */
  export async function create(
    { tableName, client }: Store,
    profile: NewProfile,
    now = new Date(),
  ): Promise<boolean> {
    const timestamp = now.toISOString();
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            [A.userId]: profile.userId,
            [A.email]: profile.email,
            ...poolValues(profile.attributes ?? {}),
            [A.createdAt]: timestamp,
            [A.updatedAt]: timestamp,
          },
          ConditionExpression:
            "attribute_not_exists(#key) OR (attribute_exists(#deletedAt) AND #expiresAt <= :now)",
          ExpressionAttributeNames: {
            "#key": UsersTable.partitionKey,
            "#deletedAt": A.deletedAt,
            "#expiresAt": A.expiresAt,
          },
          ExpressionAttributeValues: { ":now": epochSeconds(now) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  function poolValues(attributes: Readonly<Record<string, string | undefined>>) {
    const values: Record<string, string | undefined> = {};
    for (const field of ProfileFields.fromPool) {
      values[field.attribute] = field.rule.clean(attributes[field.poolAttribute as string]);
    }
    return values;
  }

  export async function load(
    { tableName, client }: Store,
    userId: string,
    now = new Date(),
  ): Promise<State> {
    const result = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [UsersTable.partitionKey]: userId },
        ConsistentRead: true,
      }),
    );
    return stateOf(result.Item, now);
  }

  /**
   * Applies validated changes to an active profile. Never writes to a missing
   * item (the caller heals it and retries instead of this call creating a
   * half-filled one) nor to a deletion marker (personal data must not reappear).
   */
  export async function update(
    store: Store,
    userId: string,
    changes: Changes,
    now = new Date(),
  ): Promise<State> {
    const { tableName, client } = store;
    const names: Record<string, string> = {
      "#key": UsersTable.partitionKey,
      "#deletedAt": A.deletedAt,
      "#updatedAt": A.updatedAt,
    };
    const values: Record<string, string> = { ":updatedAt": now.toISOString() };
    const set = ["#updatedAt = :updatedAt"];
    const remove: string[] = [];
    for (const [index, field] of ProfileFields.editable.entries()) {
      const value = (changes as Record<string, string | null | undefined>)[field.key];
      if (value === undefined) continue;
      names[`#f${index}`] = field.attribute;
      if (value === null) {
        remove.push(`#f${index}`);
      } else {
        values[`:f${index}`] = value;
        set.push(`#f${index} = :f${index}`);
      }
    }
    const expression = `SET ${set.join(", ")}${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`;
    try {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [UsersTable.partitionKey]: userId },
          UpdateExpression: expression,
          ConditionExpression: "attribute_exists(#key) AND attribute_not_exists(#deletedAt)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return stateOf(result.Attributes, now);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Absent or a marker: read which, so the caller can heal or answer "deleted".
    const state = await load(store, userId, now);
    return state.status === "active" ? { status: "absent" } : state;
  }

  /**
   * Replaces whatever the table holds for the user (the whole item: email,
   * fields, timestamps) with a deletion marker that keeps only the key,
   * DeletedAt and ExpiresAt. Unconditional, so a retry refreshes ExpiresAt.
   */
  export async function markDeleted(
    { tableName, client }: Store,
    userId: string,
    expiresAt: Date,
    now = new Date(),
  ): Promise<void> {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          [A.userId]: userId,
          [A.deletedAt]: now.toISOString(),
          [A.expiresAt]: epochSeconds(expiresAt),
        },
      }),
    );
  }

  /**
   * Sets the email a profile holds, but only if it still holds `from`: a
   * concurrent change wins, and a profile deleted meanwhile is not recreated.
   * Returns whether this call changed it.
   */
  export async function updateEmail(
    { tableName, client }: Store,
    userId: string,
    { from, to }: { from: string; to: string },
    now = new Date(),
  ): Promise<boolean> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [UsersTable.partitionKey]: userId },
          UpdateExpression: "SET #email = :to, #updatedAt = :now",
          ConditionExpression: "#email = :from",
          ExpressionAttributeNames: { "#email": A.email, "#updatedAt": A.updatedAt },
          ExpressionAttributeValues: { ":from": from, ":to": to, ":now": now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Deletes a profile only if it still holds `email`, i.e. is the row that was
   * read before deciding to delete it. Returns whether this call deleted it.
   */
  export async function removeIfUnchanged(
    { tableName, client }: Store,
    userId: string,
    email: string,
  ): Promise<boolean> {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { [UsersTable.partitionKey]: userId },
          ConditionExpression: "#email = :email",
          ExpressionAttributeNames: { "#email": A.email },
          ExpressionAttributeValues: { ":email": email },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Every item of the table, one Scan page (up to 1 MB, or `pageSize` items) at a time, following
   * LastEvaluatedKey to the end. Strongly consistent, so a write acknowledged
   * before the scan reached its key is seen.
   */
  export async function* scan(
    { tableName, client }: Store,
    options: { signal?: AbortSignal; pageSize?: number } = {},
  ): AsyncGenerator<Record<string, unknown>[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          Limit: options.pageSize,
        }),
        { abortSignal: options.signal },
      );
      yield page.Items ?? [];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  /** What an item of the table is: an active profile, a live deletion marker, or (expired) nothing. */
  export function stateOf(item: Record<string, unknown> | undefined, now: Date): State {
    if (!item) return { status: "absent" };
    if (item[A.deletedAt] !== undefined) {
      const expiresAt = item[A.expiresAt];
      return typeof expiresAt === "number" && expiresAt > epochSeconds(now)
        ? { status: "deleted" }
        : { status: "absent" };
    }
    return { status: "active", profile: fromItem(item) };
  }

  function epochSeconds(date: Date): number {
    return Math.floor(date.getTime() / 1000);
  }

  function fromItem(item: Record<string, unknown>): Info {
    const text = (name: string) => (typeof item[name] === "string" ? (item[name] as string) : null);
    const fields: Record<string, string | null> = {};
    for (const field of ProfileFields.all) fields[field.key] = text(field.attribute);
    return {
      userId: text(A.userId) ?? "",
      email: text(A.email) ?? "",
      ...(fields as ProfileFields.Values),
      createdAt: text(A.createdAt) ?? "",
      updatedAt: text(A.updatedAt) ?? text(A.createdAt) ?? "",
    };
  }
}
