import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";

interface ConfirmationEvent {
  request: { userAttributes: Record<string, string | undefined> };
}

const client = new DynamoDBClient({});

/** The baseline: the least a Post Confirmation trigger that stores a profile can do. */
export async function handler(event: ConfirmationEvent) {
  const { sub, email } = event.request.userAttributes;
  await client.send(
    new PutItemCommand({
      TableName: process.env.TABLE_NAME,
      Item: { UserID: { S: sub ?? "" }, Email: { S: email ?? "" } },
    }),
  );
  return event;
}
