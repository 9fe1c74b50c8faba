import { startDynamoDB } from "@userprofile/local/testing";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { usersTableSpec } from "./env";

/** One in-memory DynamoDB emulator for the unit project; tests isolate by random user ids. */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDB({ port: 0 });
  await dynamodb.applyTables([usersTableSpec("Users")]);
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
