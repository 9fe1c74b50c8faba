import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { UsersTable } from "@userprofile/core/users-table";
import { ephemeralConfig, type LocalConfig } from "../src/config";
import { localCredentials } from "../src/dynamodb";
import type { FunctionSpec, LocalApp } from "../src/spec";
import { type LocalStack, startLocalStack } from "../src/stack";

type StackOptions = NonNullable<Parameters<typeof startLocalStack>[1]>;

/** What this app's `run()` returns (sst.config.ts), as the suite reads it. */
interface AppOutputs {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  apiUrl: string;
  usersTable: string;
}

/** The function that runs a handler (`packages/functions/src/….handler`). */
export function functionWithHandler(app: LocalApp, handler: string): FunctionSpec {
  const fn = app.functions.find((candidate) => candidate.handler === handler);
  if (!fn) throw new Error(`No function runs ${handler}`);
  return fn;
}

/** A stack transform: these variables added to a function's environment (fault injection). */
export const withEnvironment =
  (handler: string, variables: Record<string, string>) => (app: LocalApp) => {
    const fn = functionWithHandler(app, handler);
    fn.environment = { ...fn.environment, ...variables };
  };

/** A stack transform: one action taken out of every statement of a function's role. */
export const withoutAction = (handler: string, action: string) => (app: LocalApp) => {
  const { role } = functionWithHandler(app, handler);
  role.statements = role.statements
    .map((statement) => ({ ...statement, actions: statement.actions.filter((a) => a !== action) }))
    .filter((statement) => statement.actions.length > 0);
};

/**
 * What the integration suite runs against. By default a fresh local stack on
 * free ports; with TARGET_OUTPUTS=<file> a deployed stage (a JSON file with
 * region, userPoolId, userPoolClientId, apiUrl, usersTable, e.g. written from
 * `sst deploy` outputs) using the AWS credentials of the environment.
 */
export interface Target {
  kind: "local" | "deployed";
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  apiUrl: string;
  usersTable: string;
  mailboxUrl?: string;
  cognitoEndpoint?: string;
  controlUrl?: string;
  cognito: CognitoIdentityProviderClient;
  dynamodb: DynamoDBClient;
  local?: { stack: LocalStack; config: LocalConfig };
  /** Users the suite signed up (their `sub`), removed from a deployed stage at the end. */
  created: Set<string>;
  stop(): Promise<void>;
}

export async function startLocalTarget(
  options: {
    dataDir?: string;
    keepData?: boolean;
  } & StackOptions = {},
): Promise<Target> {
  const { dataDir: givenDataDir, keepData, ...stackOptions } = options;
  const dataDir = givenDataDir ?? (await mkdtemp(join(tmpdir(), "local-stack-")));
  const config = { ...ephemeralConfig(dataDir), region: "eu-central-1" };
  const stack = await startLocalStack(config, stackOptions);
  await stack.functionsBuilt();
  const outputs = stack.outputs as typeof stack.outputs & AppOutputs;
  const aws = { region: outputs.region, credentials: localCredentials };
  const cognito = new CognitoIdentityProviderClient({ ...aws, endpoint: outputs.cognitoEndpoint });
  const dynamodb = new DynamoDBClient({ ...aws, endpoint: outputs.dynamodbEndpoint });
  return {
    kind: "local",
    ...outputs,
    created: new Set(),
    cognito,
    dynamodb,
    local: { stack, config },
    async stop() {
      cognito.destroy();
      dynamodb.destroy();
      await stack.stop();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTarget(): Promise<Target> {
  const file = process.env.TARGET_OUTPUTS;
  if (!file) return startLocalTarget();
  const outputs = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  const required = ["region", "userPoolId", "userPoolClientId", "apiUrl", "usersTable"] as const;
  for (const key of required) {
    if (!outputs[key]) throw new Error(`${file} lacks "${key}"`);
  }
  const cognito = new CognitoIdentityProviderClient({ region: outputs.region });
  const dynamodb = new DynamoDBClient({ region: outputs.region });
  const created = new Set<string>();
  return {
    kind: "deployed",
    created,
    region: outputs.region as string,
    userPoolId: outputs.userPoolId as string,
    userPoolClientId: outputs.userPoolClientId as string,
    apiUrl: (outputs.apiUrl as string).replace(/\/$/, ""),
    usersTable: outputs.usersTable as string,
    cognito,
    dynamodb,
    async stop() {
      // Leave the stage as it was: the seed pattern's test left its users behind.
      for (const sub of created) {
        await cognito
          .send(new AdminDeleteUserCommand({ UserPoolId: outputs.userPoolId, Username: sub }))
          .catch(() => {});
        await dynamodb.send(
          new DeleteItemCommand({
            TableName: outputs.usersTable,
            Key: { [UsersTable.partitionKey]: { S: sub } },
          }),
        );
      }
      cognito.destroy();
      dynamodb.destroy();
    },
  };
}
