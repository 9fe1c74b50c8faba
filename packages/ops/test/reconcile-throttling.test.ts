import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  TooManyRequestsException,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { localCredentials } from "@userprofile/core/aws-tools";
import { Reconcile } from "@userprofile/core/reconcile";
import { ephemeralConfig, type LocalStack, startLocalStack } from "@userprofile/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReconcileClients, reconcileClients } from "../src/clients";
import { type Target, targetFromOutputs } from "../src/target";
import { outputsOf, type Seed, seedDrift, snapshotTable } from "./seed";

let dir: string;
let stack: LocalStack;
let target: Target;
let seedCognito: CognitoIdentityProviderClient;
let seedDynamoDB: DynamoDBClient;
let seed: Seed;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reconcile-throttling-"));
  stack = await startLocalStack(ephemeralConfig(join(dir, "data")));
  target = targetFromOutputs({ ...outputsOf(stack) }, "the local stack");
  const aws = { region: outputsOf(stack).region, credentials: localCredentials };
  seedCognito = new CognitoIdentityProviderClient({
    ...aws,
    endpoint: outputsOf(stack).cognitoEndpoint,
  });
  seedDynamoDB = new DynamoDBClient({ ...aws, endpoint: outputsOf(stack).dynamodbEndpoint });
  seed = await seedDrift(outputsOf(stack), seedCognito, seedDynamoDB, {
    healthy: 70,
    missingAdminCreated: 12,
    drift: 8,
    orphanRows: 6,
    orphanDeletedUsers: 2,
    unconfirmed: 6,
  });
}, 180_000);

afterAll(async () => {
  seedCognito?.destroy();
  seedDynamoDB?.destroy();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Fault injection: the same clients the command uses, with every other
 * attempt refused the way each service throttles. The refusal happens after
 * the retry step, before the request leaves, as a throttled request is
 * never applied.
 */
function throttledClients(throttledAttempts?: number) {
  const injected = { cognito: 0, dynamodb: 0 };
  const observed: number[] = [];
  const clients: ReconcileClients = reconcileClients(target, {
    baseDelayMs: 20,
    onThrottle: (delayMs) => observed.push(delayMs),
    ...(throttledAttempts ? { throttledAttempts } : {}),
  });
  let cognitoAttempts = 0;
  clients.cognito.middlewareStack.add(
    (next) => async (args) => {
      cognitoAttempts += 1;
      if (throttledAttempts || cognitoAttempts % 2 === 1) {
        injected.cognito += 1;
        throw new TooManyRequestsException({
          message: "Rate exceeded",
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "injectThrottling" },
  );
  let dynamodbAttempts = 0;
  clients.dynamodb.middlewareStack.add(
    (next) => async (args) => {
      dynamodbAttempts += 1;
      if (dynamodbAttempts % 2 === 1) {
        injected.dynamodb += 1;
        const Refusal =
          dynamodbAttempts % 4 === 1 ? ProvisionedThroughputExceededException : ThrottlingException;
        throw new Refusal({ message: "Throughput exceeds the limit", $metadata: {} });
      }
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "injectThrottling" },
  );
  return { clients, injected, observed };
}

describe("reconciling while the services throttle", () => {
  it("reports the same drift as without throttling, and heals all of it", async () => {
    const plain = reconcileClients(target);
    const expected = Reconcile.summary(await Reconcile.scan(plain.deps), null);
    plain.destroy();
    expect(expected).toMatchObject({
      missingProfiles: seed.missing.size,
      emailDrift: seed.drift.size,
      orphanProfiles: seed.orphans.length,
      unconfirmedUsers: seed.unconfirmed.length,
    });

    const { clients, injected, observed } = throttledClients();
    const findings = await Reconcile.scan(clients.deps);
    expect(Reconcile.summary(findings, null)).toEqual(expected);
    // Two ListUsers pages (and the scan) each needed a retry.
    expect(injected.cognito).toBeGreaterThanOrEqual(2);
    expect(injected.dynamodb).toBeGreaterThanOrEqual(1);

    const outcome = await Reconcile.apply(clients.deps, findings, { prune: true });
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({
      created: seed.missing.size,
      updated: seed.drift.size,
      deleted: seed.orphans.length,
    });
    expect(Reconcile.remainingDrift(findings, outcome, { prune: true })).toBe(0);
    // Every refusal was waited out and retried.
    expect(observed).toHaveLength(injected.cognito + injected.dynamodb);
    clients.destroy();

    const after = reconcileClients(target);
    const clean = await Reconcile.scan(after.deps);
    expect(Reconcile.remainingDrift(clean, null)).toBe(0);
    after.destroy();
  });

  it("gives up with the throttling error once a request has used all its attempts", async () => {
    const before = await snapshotTable(seedDynamoDB, outputsOf(stack).usersTable);
    const { clients, injected } = throttledClients(3);
    const failure = await Reconcile.scan(clients.deps).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Reconcile.StepError);
    expect((failure as Reconcile.StepError).step).toBe("list-users");
    expect((failure as Error).cause).toBeInstanceOf(TooManyRequestsException);
    expect(injected.cognito).toBe(3);
    expect(await snapshotTable(seedDynamoDB, outputsOf(stack).usersTable)).toEqual(before);
    clients.destroy();
  });
});
