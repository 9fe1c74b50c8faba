import { randomUUID } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
// The user-pool and DynamoDB emulators the local stack runs, with the app's Users table.
import {
  type DynamoDBEmulator,
  type Harness,
  localDynamoDBClient,
  startDynamoDB,
  startHarness,
} from "@userprofile/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Profile } from "../src/profile";
import { Reconcile } from "../src/reconcile";
import { usersTableSpec } from "./env";
import { classify } from "./findings";
import { activeProfile } from "./profiles";

/** A table of its own: a scan reads every item, and the shared one holds other tests' rows. */
const tableName = `Users-${randomUUID()}`;
let dynamodb: DynamoDBEmulator;
let client: DynamoDBClient;
let profiles: Profile.Store;
let h: Harness;
let deps: Reconcile.Deps;

async function createUser(email = `${randomUUID()}@example.com`) {
  const result = await h.client.send(
    new AdminCreateUserCommand({
      UserPoolId: h.pool.userPoolId,
      Username: email,
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "email", Value: email },
        { Name: "email_verified", Value: "true" },
      ],
    }),
  );
  return { sub: result.User?.Attributes?.find((a) => a.Name === "sub")?.Value as string, email };
}

beforeAll(async () => {
  dynamodb = await startDynamoDB({ port: 0 });
  await dynamodb.applyTables([usersTableSpec(tableName)]);
  client = localDynamoDBClient(dynamodb.endpoint, "us-east-1");
  profiles = Profile.store(tableName, client);
  h = await startHarness();
  deps = { profiles, cognito: h.client, userPoolId: h.pool.userPoolId };
}, 60_000);

afterAll(async () => {
  await h?.stop();
  client?.destroy();
  await dynamodb?.stop();
});

describe("Reconcile.scan", () => {
  it("reads the whole table, then the whole pool, reporting progress", async () => {
    const healthy = await createUser();
    await Profile.create(profiles, { userId: healthy.sub, email: healthy.email });
    const missing = await createUser();
    const orphan = randomUUID();
    await Profile.create(profiles, { userId: orphan, email: "gone@example.com" });

    const progress: Reconcile.Progress[] = [];
    const findings = await Reconcile.scan(deps, { onProgress: (p) => progress.push(p) });
    expect(Reconcile.summary(findings, null)).toEqual({
      usersScanned: 2,
      profilesScanned: 2,
      missingProfiles: 1,
      orphanProfiles: 1,
      emailDrift: 0,
      unconfirmedUsers: 0,
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(findings.missing.map((u) => u.userId)).toEqual([missing.sub]);
    expect(progress).toEqual([
      { phase: "profiles", done: 2 },
      { phase: "users", done: 2 },
    ]);
    // Leave the pool and table as healthy as the next tests expect.
    await Reconcile.apply(deps, findings);
    await Profile.removeIfUnchanged(profiles, orphan, "gone@example.com");
  });

  it("says which read failed", async () => {
    const noTable = { ...deps, profiles: Profile.store("NoSuchTable", client) };
    const tableFailure = await Reconcile.scan(noTable).catch((error: unknown) => error);
    expect(tableFailure).toBeInstanceOf(Reconcile.StepError);
    expect(tableFailure).toMatchObject({
      name: "StepError",
      step: "scan-table",
      message: "Scanning the Users table failed",
    });
    expect(((tableFailure as Error).cause as Error).name).toBe("ResourceNotFoundException");

    const noPool = { ...deps, userPoolId: "eu-west-3_missing" };
    const poolFailure = await Reconcile.scan(noPool).catch((error: unknown) => error);
    expect(poolFailure).toMatchObject({
      step: "list-users",
      message: "Listing the user pool failed",
    });
  });

  it("scans without a progress callback", async () => {
    const missing = await createUser();
    const findings = await Reconcile.scan(deps);
    // The first test left two healthy users behind.
    expect(Reconcile.summary(findings, null)).toMatchObject({
      usersScanned: 3,
      profilesScanned: 2,
      missingProfiles: 1,
      orphanProfiles: 0,
    });
    expect(findings.missing.map((u) => u.userId)).toEqual([missing.sub]);
    await Reconcile.apply(deps, findings);
  });

  it("an aborted signal stops the table scan, before the pool is listed", async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const failure = await Reconcile.scan(deps, { signal: interrupt.signal }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ step: "scan-table" });
    expect(((failure as Error).cause as Error).name).toBe("AbortError");
  });

  it("an abort once the table is read stops the pool listing", async () => {
    const interrupt = new AbortController();
    const progress: Reconcile.Progress[] = [];
    const failure = await Reconcile.scan(deps, {
      signal: interrupt.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.phase === "profiles") interrupt.abort();
      },
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ step: "list-users" });
    expect(((failure as Error).cause as Error).name).toBe("AbortError");
    expect(progress.map((p) => p.phase)).toEqual(["profiles"]);
  });
});

describe("Reconcile.apply with prune", () => {
  it("without prune, keeps an orphan even when its user is gone", async () => {
    const gone = await createUser();
    await Profile.create(profiles, { userId: gone.sub, email: gone.email });
    await h.client.send(
      new AdminDeleteUserCommand({ UserPoolId: h.pool.userPoolId, Username: gone.sub }),
    );
    const findings = await Reconcile.scan(deps);
    expect(findings.orphans).toEqual([{ userId: gone.sub, email: gone.email }]);

    const outcome = await Reconcile.apply(deps, findings);
    expect(outcome).toMatchObject({ deleted: 0, orphansWithUser: 0, orphansChangedMeanwhile: 0 });
    expect(outcome.error).toBeUndefined();
    expect(await activeProfile(profiles, gone.sub)).not.toBeNull();
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(1);
    await Profile.removeIfUnchanged(profiles, gone.sub, gone.email);
  });

  it("deletes an orphan only when the pool confirms its user is gone and the row is unchanged", async () => {
    const gone = await createUser();
    const listedLate = await createUser();
    const changed = await createUser();
    for (const user of [gone, listedLate, changed]) {
      await Profile.create(profiles, { userId: user.sub, email: user.email });
    }
    await h.client.send(
      new AdminDeleteUserCommand({ UserPoolId: h.pool.userPoolId, Username: gone.sub }),
    );
    await h.client.send(
      new AdminDeleteUserCommand({ UserPoolId: h.pool.userPoolId, Username: changed.sub }),
    );
    // As if the listing had missed `listedLate` and the scan had seen all three.
    const findings = classify(
      [gone, listedLate, changed].map((u) => ({ UserID: u.sub, Email: u.email })),
      [],
    );
    await Profile.updateEmail(profiles, changed.sub, { from: changed.email, to: "x@example.com" });

    const outcome = await Reconcile.apply(deps, findings, { prune: true });
    expect(outcome).toMatchObject({
      deleted: 1,
      orphansWithUser: 1,
      orphansChangedMeanwhile: 1,
      interrupted: false,
    });
    expect(outcome.error).toBeUndefined();
    expect(await activeProfile(profiles, gone.sub)).toBeNull();
    expect(await activeProfile(profiles, listedLate.sub)).not.toBeNull();
    expect(await activeProfile(profiles, changed.sub)).not.toBeNull();
    expect(Reconcile.remainingDrift(findings, outcome, { prune: true })).toBe(1);
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(3);
  });

  it("an interrupted prune is not an error and deletes nothing more", async () => {
    const orphan = randomUUID();
    await Profile.create(profiles, { userId: orphan, email: "o@example.com" });
    const findings = classify([{ UserID: orphan, Email: "o@example.com" }], []);
    const interrupt = new AbortController();
    const running = Reconcile.apply(deps, findings, { prune: true, signal: interrupt.signal });
    // The pool check is in flight now; Ctrl-C aborts it.
    interrupt.abort();
    const outcome = await running;
    expect(outcome).toMatchObject({ deleted: 0, interrupted: true });
    expect(outcome.error).toBeUndefined();
    expect(await activeProfile(profiles, orphan)).not.toBeNull();
  });
});
