import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createLocalClock, type LocalClock } from "../src/clock";
import { type InvokeFunction, startUserPools, type UserPools } from "../src/cognito/index";
import { createTriggerFailures, type TriggerFailures } from "../src/cognito/trigger-failures";
import type { InvokeResult } from "../src/lambda";
import { Mailbox } from "../src/mailbox";
import type { UserPoolSpec } from "../src/spec";

export const REGION = "eu-west-3";
export const ACCOUNT_ID = "000000000000";
export const FUNCTION = "post-confirmation";
export const PASSWORD = "Correct-Horse-9";

export type TriggerHandler = (event: TriggerEvent) => unknown | Promise<unknown>;

export interface TriggerEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: {
    userAttributes: Record<string, string>;
    clientMetadata?: Record<string, string>;
  } & Record<string, unknown>;
  response: Record<string, unknown>;
}

const alphanumeric = (
  length: number,
  alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
) => [...randomBytes(length)].map((b) => alphabet.charAt(b % alphabet.length)).join("");

/**
 * A pool as this app's infra declares it (email as username, case-insensitive,
 * SRP and refresh only, PreventUserExistenceErrors, token revocation), with a
 * fresh AWS-shaped id; `change` adapts it for a test.
 */
export function poolSpec(
  change: (spec: UserPoolSpec) => UserPoolSpec = (spec) => spec,
): UserPoolSpec {
  const id = `${REGION}_${alphanumeric(9)}`;
  return change({
    id,
    arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${id}`,
    name: "userprofile-local",
    origin: { component: "sst:aws:CognitoUserPool", name: "Auth" },
    usernameAttributes: ["email"],
    aliasAttributes: [],
    usernameCaseSensitive: false,
    autoVerifiedAttributes: ["email"],
    passwordPolicy: {
      minimumLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 7,
    },
    schema: [],
    triggers: { PostConfirmation: FUNCTION },
    mfaConfiguration: "OFF",
    softwareTokenMfaEnabled: false,
    deletionProtection: "INACTIVE",
    userPoolTier: "LITE",
    accountRecovery: [{ name: "verified_email", priority: 1 }],
    email: { sendingAccount: "COGNITO_DEFAULT" },
    attributesRequireVerificationBeforeUpdate: [],
    allowAdminCreateUserOnly: false,
    clients: [
      {
        id: alphanumeric(26, "abcdefghijklmnopqrstuvwxyz0123456789"),
        name: "web",
        origin: { component: "sst:aws:CognitoUserPoolClient", name: "WebClient" },
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        accessTokenValidity: 60,
        idTokenValidity: 60,
        refreshTokenValidity: 30,
        tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
      },
    ],
  });
}

/** The pools' in-process Lambda: one replaceable handler, every invocation recorded. */
export function lambdaStub() {
  const invocations: {
    name: string;
    event: TriggerEvent;
    caller: Parameters<InvokeFunction>[2];
  }[] = [];
  let handler: TriggerHandler = (event) => event;
  const invoke: InvokeFunction = async (name, event, caller) => {
    invocations.push({ name, event: structuredClone(event) as TriggerEvent, caller });
    try {
      const result = await handler(structuredClone(event) as TriggerEvent);
      return { ok: true, payload: result ?? null } satisfies InvokeResult;
    } catch (error) {
      return { ok: false, error: { errorType: "Error", errorMessage: (error as Error).message } };
    }
  };
  return {
    invoke,
    invocations,
    setHandler(next: TriggerHandler) {
      handler = next;
    },
  };
}

export type LambdaStub = ReturnType<typeof lambdaStub>;

/** What tests used to read from the emulator: one pool, its web client, its issuer. */
export interface PoolHandle {
  endpoint: string;
  userPoolId: string;
  userPoolClientId: string;
  issuer: string;
  jwksUrl: string;
}

export interface Harness {
  pool: PoolHandle;
  spec: UserPoolSpec;
  pools: UserPools;
  mailbox: Mailbox;
  lambda: LambdaStub;
  client: CognitoIdentityProviderClient;
  logs: string[];
  dataDir: string;
  /** The pool's clock; advance it to let codes and tokens expire. */
  clock: LocalClock;
  triggerFailures: TriggerFailures;
  /**
   * Restarts the emulator on the same data directory and port;
   * `whileStopped` runs in between.
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  options: {
    triggerTimeoutMs?: number;
    invoke?: InvokeFunction;
    spec?: (spec: UserPoolSpec) => UserPoolSpec;
  } = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), "cognito-test-"));
  const lambda = lambdaStub();
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const mailbox = new Mailbox({ log });
  const clock = createLocalClock();
  const triggerFailures = createTriggerFailures();
  const spec = poolSpec(options.spec);
  const start = (port = 0) =>
    startUserPools({
      port,
      dataDir,
      region: REGION,
      accountId: ACCOUNT_ID,
      pools: [spec],
      invoke: options.invoke ?? lambda.invoke,
      mailbox,
      log,
      clock,
      triggerFailures,
      ...(options.triggerTimeoutMs ? { triggerTimeoutMs: options.triggerTimeoutMs } : {}),
    });
  const handle = (pools: UserPools): PoolHandle => ({
    endpoint: pools.endpoint,
    userPoolId: spec.id,
    userPoolClientId: spec.clients[0]?.id as string,
    issuer: pools.issuer(spec.id),
    jwksUrl: pools.jwksUrl(spec.id),
  });
  const pools = await start();
  const harness: Harness = {
    pools,
    pool: handle(pools),
    spec,
    mailbox,
    lambda,
    client: sdkClient(pools.endpoint),
    logs,
    dataDir,
    clock,
    triggerFailures,
    async restart(whileStopped) {
      harness.client.destroy();
      const port = Number(new URL(harness.pools.endpoint).port);
      await harness.pools.stop();
      await whileStopped?.();
      harness.pools = await start(port);
      harness.pool = handle(harness.pools);
      harness.client = sdkClient(harness.pools.endpoint);
    },
    async stop() {
      harness.client.destroy();
      await harness.pools.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function sdkClient(endpoint: string) {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

let counter = 0;
export function uniqueEmail(prefix = "user") {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@example.com`;
}

export function latestCode(mailbox: Mailbox, email: string) {
  const code = mailbox.messagesFor(email).at(-1)?.code;
  if (!code) throw new Error(`No code was sent to ${email}`);
  return code;
}

export async function signUp(
  h: Harness,
  email: string,
  attributes: Record<string, string> = {},
  password = PASSWORD,
) {
  return h.client.send(
    new SignUpCommand({
      ClientId: h.pool.userPoolClientId,
      Username: email,
      Password: password,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

export async function signUpAndConfirm(
  h: Harness,
  email: string,
  attributes: Record<string, string> = {},
) {
  const result = await signUp(h, email, attributes);
  await h.client.send(
    new ConfirmSignUpCommand({
      ClientId: h.pool.userPoolClientId,
      Username: email,
      ConfirmationCode: latestCode(h.mailbox, email),
    }),
  );
  return result;
}

/** The error name and message a promise rejects with, for assertions. */
export async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("Expected a failure");
}

/** A six-digit code that is not the one given. */
export function wrongCode(code: string) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}
