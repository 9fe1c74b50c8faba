/** One IAM action a request needs, on each of these resources (table or index ARNs, or `*`). */
export interface DynamoDBAccess {
  action: string;
  resources: string[];
}

/** The IAM action behind each part of a transaction (developer guide, transaction-apis-iam). */
const TRANSACTION_ACTIONS: Record<string, string> = {
  Put: "dynamodb:PutItem",
  Update: "dynamodb:UpdateItem",
  Delete: "dynamodb:DeleteItem",
  ConditionCheck: "dynamodb:ConditionCheckItem",
  Get: "dynamodb:GetItem",
};

/**
 * What a request to DynamoDB must be allowed, as AWS authorizes it: `dynamodb:<Operation>` on
 * the table (or `table/T/index/I`) it names, on every table of a batch; a transaction needs, on
 * each table it touches, the action of each part it has there (PutItem, UpdateItem, DeleteItem,
 * ConditionCheckItem, GetItem). Null when the target is not a DynamoDB operation.
 */
export function dynamodbAccess(
  target: string | undefined,
  body: unknown,
  region: string,
  accountId: string,
): DynamoDBAccess[] | null {
  const operation = /^DynamoDB_\d+\.(\w+)$/.exec(target ?? "")?.[1];
  if (!operation) return null;
  const tableArn = (name: string) => `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
  const input = (body ?? {}) as Record<string, unknown>;
  if (Array.isArray(input.TransactItems)) {
    const byAction = new Map<string, Set<string>>();
    for (const item of input.TransactItems as unknown[]) {
      for (const [part, value] of Object.entries((item ?? {}) as Record<string, unknown>)) {
        const action = TRANSACTION_ACTIONS[part];
        const table = (value as { TableName?: unknown } | null)?.TableName;
        if (!action || typeof table !== "string") continue;
        byAction.set(action, (byAction.get(action) ?? new Set()).add(tableArn(table)));
      }
    }
    return [...byAction].map(([action, tables]) => ({ action, resources: [...tables] }));
  }
  const tables = new Set<string>();
  if (typeof input.TableName === "string") {
    tables.add(
      typeof input.IndexName === "string"
        ? `${tableArn(input.TableName)}/index/${input.IndexName}`
        : tableArn(input.TableName),
    );
  }
  if (input.RequestItems && typeof input.RequestItems === "object") {
    for (const name of Object.keys(input.RequestItems)) tables.add(tableArn(name));
  }
  return [{ action: `dynamodb:${operation}`, resources: tables.size ? [...tables] : ["*"] }];
}
