/**
 * Fixtures for tests that need real emulators without a whole stack: DynamoDB, the user pool,
 * and Amplify v6 signing in from Node. Not for product code.
 */

export * as srp from "../src/cognito/srp";
export {
  type DynamoDBEmulator,
  localDynamoDBClient,
  startDynamoDB,
} from "../src/dynamodb/index";
export type { TableSpec } from "../src/spec";
export * from "../test/cognito-harness";
export { configureAmplifyInNode, srpSignIn } from "./amplify-node";
export { copyFixtureApp } from "./fixture-app";
export { type PoolTarget, signedInUser } from "./signed-in-user";
