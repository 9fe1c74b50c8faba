import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { TableSpec } from "@userprofile/local/testing";
import { inject } from "vitest";
import { UsersTable, usersTableKeySchema } from "../src/users-table/index";

/** The Users table as infra declares it (keys and Time to Live), for an emulator. */
export function usersTableSpec(name: string = UsersTable.name): TableSpec {
  return {
    name,
    arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
    origin: { component: "sst:aws:Dynamo", name: UsersTable.name },
    attributes: Object.keys(usersTableKeySchema.fields).map((field) => ({
      name: field,
      type: "S",
    })),
    hashKey: usersTableKeySchema.primaryIndex.hashKey,
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    timeToLive: { attributeName: UsersTable.timeToLiveAttribute },
  };
}

/** Points the AWS SDK at the emulator the unit project's global setup started. */
export function useLocalDynamoDB() {
  const endpoint = inject("dynamodbEndpoint");
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.SST_RESOURCE_UsersTable = JSON.stringify({ name: inject("usersTable") });
  const tableName = inject("usersTable");
  const client = new DynamoDBClient({ endpoint, region: "us-east-1" });
  /** The user's item exactly as stored (attribute values typed), read consistently. */
  async function rawItem(userId: string) {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { UserID: { S: userId } },
        ConsistentRead: true,
      }),
    );
    return Item;
  }
  return { endpoint, tableName, client, rawItem };
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    usersTable: string;
  }
}
