import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  AdminUpdateUserAttributesCommand,
  paginateListUsers,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { localCredentials } from "@userprofile/core/aws-tools";
import type { PoolUsers } from "@userprofile/core/pool-users";
import { Reconcile } from "@userprofile/core/reconcile";
import { reconcileClients } from "@userprofile/ops/clients";
import { targetFromOutputs } from "@userprofile/ops/target";
import type { StackHandle } from "./stack";

export interface ReconcileBench {
  users: number;
  profiles: number;
  /** Dry run over a healthy pool: every page of the table and of the pool. */
  dryRunMs: number;
  /** The drift made for the apply run. */
  drift: { missing: number; emailDrift: number };
  /** Scan plus the conditional writes that heal the drift. */
  applyMs: number;
  /** A dry run afterwards finds nothing. */
  remainingAfterApply: number;
}

/**
 * Reconciles the bench stack's pool (filled through sign-up and the trigger,
 * so every user has a profile), then again after removing some profiles and
 * changing some verified emails, with the clients `pnpm users:reconcile` uses.
 */
export async function reconcileBench(h: StackHandle, damagedShare = 0.1): Promise<ReconcileBench> {
  const { outputs } = h;
  const target = targetFromOutputs({ ...outputs }, "the bench stack");
  const clients = reconcileClients(target);
  const dynamodb = new DynamoDBClient({
    region: outputs.region,
    endpoint: outputs.dynamodbEndpoint,
    credentials: localCredentials,
  });
  try {
    let started = performance.now();
    const healthy = await Reconcile.scan(clients.deps);
    const dryRunMs = performance.now() - started;

    const subs: string[] = [];
    for await (const page of paginateListUsers(
      { client: h.cognito },
      { UserPoolId: outputs.userPoolId },
    )) {
      for (const user of page.Users ?? []) if (user.Username) subs.push(user.Username);
    }
    const damaged = Math.max(1, Math.floor(subs.length * damagedShare));
    const missing = subs.slice(0, damaged);
    const drifted = subs.slice(damaged, damaged + Math.ceil(damaged / 2));
    for (const sub of missing) {
      await dynamodb.send(
        new DeleteItemCommand({ TableName: outputs.usersTable, Key: { UserID: { S: sub } } }),
      );
    }
    for (const [i, sub] of drifted.entries()) {
      await h.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: outputs.userPoolId,
          Username: sub,
          UserAttributes: [
            { Name: "email", Value: `bench.moved.${process.pid}.${i}@example.com` },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
    }

    started = performance.now();
    const findings = await Reconcile.scan(clients.deps);
    const outcome = await Reconcile.apply(clients.deps, findings);
    const applyMs = performance.now() - started;
    const after = await Reconcile.scan(clients.deps);
    return {
      users: healthy.usersScanned,
      profiles: healthy.profilesScanned,
      dryRunMs,
      drift: { missing: findings.missing.length, emailDrift: findings.drift.length },
      applyMs,
      remainingAfterApply:
        Reconcile.remainingDrift(findings, outcome) + Reconcile.remainingDrift(after, null),
    };
  } finally {
    clients.destroy();
    dynamodb.destroy();
  }
}

export interface ClassifierBench {
  users: number;
  /** Heap the classifier holds per user with a profile: the row (id + email) and the id seen. */
  bytesPerUser: number;
  /** Classifying every user against the rows, per million users. */
  classifyMsPerMillion: number;
}

/**
 * The command holds one small row per profile (id and email) and one id per
 * listed user, never a page of users after it is classified. Measured on
 * synthetic rows and users, without any service.
 */
export function classifierBench(users = 1_000_000): ClassifierBench {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const sub = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  gc();
  const before = process.memoryUsage().heapUsed;
  const classifier = new Reconcile.Classifier();
  const batch = 10_000;
  for (let start = 0; start < users; start += batch) {
    const items: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(users, start + batch); i += 1) {
      items.push({
        UserID: sub(i),
        Email: `user.${i}@example.com`,
        firstName: "Synthetic",
        CreatedAt: "2026-01-01T00:00:00.000Z",
      });
    }
    classifier.addItems(items);
  }
  const started = performance.now();
  for (let start = 0; start < users; start += batch) {
    const page: PoolUsers.User[] = [];
    for (let i = start; i < Math.min(users, start + batch); i += 1) {
      page.push({
        userId: sub(i),
        status: "CONFIRMED",
        email: `user.${i}@example.com`,
        emailVerified: true,
        attributes: {},
      });
    }
    classifier.addUsers(page);
  }
  const classifyMsPerMillion = ((performance.now() - started) / users) * 1_000_000;
  gc();
  const bytesPerUser = (process.memoryUsage().heapUsed - before) / users;
  const findings = classifier.finish();
  if (findings.missing.length + findings.orphans.length + findings.drift.length !== 0) {
    throw new Error("Synthetic users and rows should match");
  }
  return { users, bytesPerUser, classifyMsPerMillion };
}
