import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";

/** Points the AWS SDK at the emulator the unit project's global setup started. */
export function useLocalDynamoDB() {
  const endpoint = inject("dynamodbEndpoint");
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.SST_RESOURCE_UsersTable = JSON.stringify({ name: inject("usersTable") });
  return {
    endpoint,
    tableName: inject("usersTable"),
    client: new DynamoDBClient({ endpoint, region: "us-east-1" }),
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    usersTable: string;
  }
}
