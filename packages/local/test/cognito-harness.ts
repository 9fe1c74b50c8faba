import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createLocalClock, type LocalClock } from "../src/clock";
import { type CognitoEmulator, startCognito } from "../src/cognito/index";
import { createTriggerFailures, type TriggerFailures } from "../src/cognito/post-confirmation";
import { Mailbox } from "../src/mailbox";

export const REGION = "eu-west-3";
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
  request: { userAttributes: Record<string, string>; clientMetadata?: Record<string, string> };
  response: Record<string, unknown>;
}

/** A minimal Lambda Invoke API that runs one replaceable function. */
export async function startLambdaStub() {
  const invocations: { name: string; event: TriggerEvent }[] = [];
  let handler: TriggerHandler = (event) => event;
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const name = decodeURIComponent(request.url?.split("/")[3] ?? "");
    const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as TriggerEvent;
    invocations.push({ name, event });
    try {
      const result = await handler(event);
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(result ?? null));
    } catch (error) {
      response.writeHead(200, {
        "Content-Type": "application/json",
        "X-Amz-Function-Error": "Unhandled",
      });
      response.end(
        JSON.stringify({ errorType: "Error", errorMessage: (error as Error).message, trace: [] }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    setHandler(next: TriggerHandler) {
      handler = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type LambdaStub = Awaited<ReturnType<typeof startLambdaStub>>;

export interface Harness {
  pool: CognitoEmulator;
  mailbox: Mailbox;
  lambda: LambdaStub;
  client: CognitoIdentityProviderClient;
  logs: string[];
  dataDir: string;
  /** The pool's clock; advance it to let codes and tokens expire. */
  clock: LocalClock;
  triggerFailures: TriggerFailures;
  /**
   * Restarts the emulator on the same data directory and port (so the issuer
   * stays); `whileStopped` runs in between, e.g. to edit the data files.
   */
  restart(whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  options: { triggerTimeoutMs?: number; lambdaEndpoint?: string } = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), "cognito-test-"));
  const lambda = await startLambdaStub();
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const mailbox = new Mailbox({ log });
  const clock = createLocalClock();
  const triggerFailures = createTriggerFailures();
  const start = (port = 0) =>
    startCognito({
      port,
      dataDir,
      region: REGION,
      lambdaEndpoint: options.lambdaEndpoint ?? lambda.endpoint,
      postConfirmationFunction: FUNCTION,
      mailbox,
      log,
      clock,
      triggerFailures,
      ...(options.triggerTimeoutMs ? { triggerTimeoutMs: options.triggerTimeoutMs } : {}),
    });
  const harness: Harness = {
    pool: await start(),
    mailbox,
    lambda,
    client: undefined as unknown as CognitoIdentityProviderClient,
    logs,
    dataDir,
    clock,
    triggerFailures,
    async restart(whileStopped) {
      harness.client.destroy();
      const port = Number(new URL(harness.pool.endpoint).port);
      await harness.pool.stop();
      await whileStopped?.();
      harness.pool = await start(port);
      harness.client = sdkClient(harness.pool.endpoint);
    },
    async stop() {
      harness.client.destroy();
      await harness.pool.stop();
      await lambda.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  harness.client = sdkClient(harness.pool.endpoint);
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
