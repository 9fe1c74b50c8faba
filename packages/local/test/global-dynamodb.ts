import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { ensureUsersTable, localDynamoDBClient, startDynamoDB } from "../src/dynamodb";

/** One in-memory DynamoDB emulator for the unit project; tests isolate by random user ids. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDB({ port: 0 });
  const client = localDynamoDBClient(dynamodb.endpoint, "us-east-1");
  await ensureUsersTable(client, "Users");
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
