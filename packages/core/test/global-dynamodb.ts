import { createMissingTable, localDynamoDBClient, startDynamoDB } from "@userprofile/local/testing";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { usersTableKeys } from "./env";

/** One in-memory DynamoDB emulator for the unit project; tests isolate by random user ids. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDB({ port: 0 });
  const client = localDynamoDBClient(dynamodb.endpoint, "us-east-1");
  await createMissingTable(client, usersTableKeys("Users"));
  client.destroy();
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
  project.provide("usersTable", "Users");
  return () => dynamodb.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    usersTable: string;
  }
}
