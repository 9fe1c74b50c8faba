import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";

/**
 * The DynamoDB calls the handlers make, issued bare from a client configured
 * as the trigger's. The warm benchmarks subtract their time from an
 * invocation's to get a handler's own overhead.
 */
const client = new DynamoDBClient({
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 1_000 },
});

/** The trigger's conditional put of a new profile. */
export async function putProfile(tableName: string, userId: string, email: string) {
  const now = new Date().toISOString();
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        UserID: { S: userId },
        Email: { S: email },
        CreatedAt: { S: now },
        UpdatedAt: { S: now },
      },
      ConditionExpression: "attribute_not_exists(#key)",
      ExpressionAttributeNames: { "#key": "UserID" },
    }),
  );
}

/** GET /me's read of an existing profile. */
export async function getProfile(tableName: string, userId: string) {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { UserID: { S: userId } },
      ConsistentRead: true,
    }),
  );
  return Item;
}
