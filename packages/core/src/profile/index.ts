import { ConditionalCheckFailedException, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { VisibleError } from "../error/index";
import { UsersTable } from "../users-table/index";

const A = UsersTable.attributes;

export namespace Profile {
  /** The profile as the API returns it. */
  export interface Info {
    userId: string;
    email: string;
    firstName: string | null;
    lastName: string | null;
    createdAt: string;
    updatedAt: string;
  }

  /** What a new profile is made from: the user pool's verified attributes. */
  export interface NewProfile {
    userId: string;
    email: string;
    firstName?: string | null | undefined;
    lastName?: string | null | undefined;
  }

  /** A validated change: a name set to a string, cleared with `null`, or left out. */
  export interface Changes {
    firstName?: string | null;
    lastName?: string | null;
  }

  export const NAME_MAX_LENGTH = 50;
  const EDITABLE_FIELDS = ["firstName", "lastName"] as const;

  /**
   * Validates a PATCH body. Unknown fields are refused rather than ignored, so
   * a client typo (`firstname`) is an error instead of a silent no-op.
   */
  export function parseChanges(input: unknown): Changes {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new VisibleError("input", "invalid_body", "The body must be a JSON object.");
    }
    const changes: Changes = {};
    for (const [field, value] of Object.entries(input)) {
      if (!(EDITABLE_FIELDS as readonly string[]).includes(field)) {
        throw new VisibleError(
          "input",
          "unknown_field",
          `Unknown field "${field.slice(0, 40)}". Editable fields: ${EDITABLE_FIELDS.join(", ")}.`,
        );
      }
      changes[field as keyof Changes] = parseName(field, value);
    }
    if (Object.keys(changes).length === 0) {
      throw new VisibleError(
        "input",
        "empty_change",
        `Nothing to change. Editable fields: ${EDITABLE_FIELDS.join(", ")}.`,
      );
    }
    return changes;
  }

  function parseName(field: string, value: unknown): string | null {
    if (value === null) return null;
    if (typeof value !== "string") {
      throw new VisibleError("input", "invalid_type", `"${field}" must be a string or null.`);
    }
    const trimmed = value.trim();
    if (trimmed.length < 1 || [...trimmed].length > NAME_MAX_LENGTH) {
      throw new VisibleError(
        "input",
        "invalid_length",
        `"${field}" must be 1 to ${NAME_MAX_LENGTH} characters after trimming, or null to clear it.`,
      );
    }
    return trimmed;
  }

  /** Pool attributes hold "" for a cleared name; the profile holds no attribute. */
  function cleanName(name: string | null | undefined): string | undefined {
    const trimmed = name?.trim();
    return trimmed ? trimmed.slice(0, NAME_MAX_LENGTH) : undefined;
  }

  export interface Store {
    tableName: string;
    client: DynamoDBDocumentClient;
  }

  export function store(tableName: string, client = new DynamoDBClient({})): Store {
    return {
      tableName,
      client: DynamoDBDocumentClient.from(client, {
        marshallOptions: { removeUndefinedValues: true },
      }),
    };
  }

  /**
   * Writes a new profile once. The put is conditional so that Cognito's
   * retries of the trigger, a replayed confirmation or a concurrent heal never
   * overwrite `CreatedAt` or names edited since. Returns whether this call
   * created it.
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
            [A.firstName]: cleanName(profile.firstName),
            [A.lastName]: cleanName(profile.lastName),
            [A.createdAt]: timestamp,
            [A.updatedAt]: timestamp,
          },
          ConditionExpression: "attribute_not_exists(#key)",
          ExpressionAttributeNames: { "#key": UsersTable.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  export async function get({ tableName, client }: Store, userId: string): Promise<Info | null> {
    const result = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { [UsersTable.partitionKey]: userId },
        ConsistentRead: true,
      }),
    );
    return result.Item ? fromItem(result.Item) : null;
  }

  /**
   * Applies validated changes to an existing profile. Returns null when there
   * is no profile, so the caller can heal it and retry instead of this call
   * creating a half-filled item.
   */
  export async function update(
    { tableName, client }: Store,
    userId: string,
    changes: Changes,
    now = new Date(),
  ): Promise<Info | null> {
    const names: Record<string, string> = {
      "#key": UsersTable.partitionKey,
      "#updatedAt": A.updatedAt,
    };
    const values: Record<string, string> = { ":updatedAt": now.toISOString() };
    const set = ["#updatedAt = :updatedAt"];
    const remove: string[] = [];
    for (const field of EDITABLE_FIELDS) {
      const value = changes[field];
      if (value === undefined) continue;
      names[`#${field}`] = A[field];
      if (value === null) {
        remove.push(`#${field}`);
      } else {
        values[`:${field}`] = value;
        set.push(`#${field} = :${field}`);
      }
    }
    const expression = `SET ${set.join(", ")}${remove.length ? ` REMOVE ${remove.join(", ")}` : ""}`;
    try {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { [UsersTable.partitionKey]: userId },
          UpdateExpression: expression,
          ConditionExpression: "attribute_exists(#key)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return result.Attributes ? fromItem(result.Attributes) : null;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }

  /** Idempotent: deleting a missing profile succeeds. */
  export async function remove({ tableName, client }: Store, userId: string): Promise<void> {
    await client.send(
      new DeleteCommand({ TableName: tableName, Key: { [UsersTable.partitionKey]: userId } }),
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

  export function fromItem(item: Record<string, unknown>): Info {
    const text = (name: string) => (typeof item[name] === "string" ? (item[name] as string) : null);
    return {
      userId: text(A.userId) ?? "",
      email: text(A.email) ?? "",
      firstName: text(A.firstName),
      lastName: text(A.lastName),
      createdAt: text(A.createdAt) ?? "",
      updatedAt: text(A.updatedAt) ?? text(A.createdAt) ?? "",
    };
  }
}
