import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import type { PoolUsers } from "../src/pool-users";
import { Profile } from "../src/profile";
import { Reconcile } from "../src/reconcile";
import { useLocalDynamoDB } from "./env";
import { classify } from "./findings";
import { attributesFor, newProfile } from "./profiles";

const { client, tableName, endpoint, rawItem } = useLocalDynamoDB();
const profiles = Profile.store(tableName, client);
/** Apply without --prune never calls the pool. */
const deps: Reconcile.Deps = {
  profiles,
  userPoolId: "unused",
  cognito: new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: "http://127.0.0.1:9",
  }),
};

function user(overrides: Partial<PoolUsers.User> = {}): PoolUsers.User {
  return {
    userId: randomUUID(),
    status: "CONFIRMED",
    email: `${randomUUID()}@example.com`,
    emailVerified: true,
    attributes: {},
    ...overrides,
  };
}
const profileItem = (userId: string, email: string) => ({
  UserID: userId,
  Email: email,
  CreatedAt: "2026-01-01T00:00:00.000Z",
});

describe("Reconcile.Classifier", () => {
  it("sorts users and rows into missing, orphan, drift and unconfirmed", () => {
    const healthy = user();
    const missing = user();
    const adminCreated = user({ status: "FORCE_CHANGE_PASSWORD", emailVerified: false });
    const drifted = user();
    const unverifiedChange = user({ emailVerified: false });
    const unconfirmed = user({ status: "UNCONFIRMED", emailVerified: false });
    const unconfirmedWithRow = user({ status: "UNCONFIRMED" });
    const orphanId = randomUUID();
    const items = [
      profileItem(healthy.userId, healthy.email as string),
      profileItem(drifted.userId, "old@example.com"),
      profileItem(unverifiedChange.userId, "before@example.com"),
      profileItem(unconfirmedWithRow.userId, "u@example.com"),
      profileItem(orphanId, "orphan@example.com"),
    ];
    const findings = classify(items, [
      healthy,
      missing,
      adminCreated,
      drifted,
      unverifiedChange,
      unconfirmed,
      unconfirmedWithRow,
    ]);
    expect(findings.usersScanned).toBe(7);
    expect(findings.profilesScanned).toBe(5);
    expect(findings.missing.map((u) => u.userId)).toEqual([missing.userId, adminCreated.userId]);
    expect(findings.orphans).toEqual([{ userId: orphanId, email: "orphan@example.com" }]);
    expect(findings.drift).toEqual([
      { userId: drifted.userId, from: "old@example.com", to: drifted.email },
    ]);
    expect(findings.unconfirmed).toEqual([unconfirmed.userId, unconfirmedWithRow.userId]);
  });

  it("counts a user listed twice (a shifting page boundary) once, with or without a row", () => {
    const repeated = user();
    const withRow = user();
    const findings = classify(
      [profileItem(withRow.userId, "old@example.com")],
      [repeated, withRow, { ...repeated }, { ...withRow }],
    );
    expect(findings.usersScanned).toBe(2);
    expect(findings.missing).toHaveLength(1);
    expect(findings.drift).toHaveLength(1);
  });

  it("ignores items without a key, repeated items and users without a sub", () => {
    const id = randomUUID();
    const findings = classify(
      [
        { Email: "keyless@example.com" },
        profileItem(id, "a@example.com"),
        profileItem(id, "b@example.com"),
      ],
      [user({ userId: "" })],
    );
    expect(findings).toMatchObject({ profilesScanned: 1, usersScanned: 0, missing: [] });
    expect(findings.orphans).toEqual([{ userId: id, email: "a@example.com" }]);
  });

  it("treats a live deletion marker as neither a profile nor an orphan, an expired one as nothing", () => {
    const now = new Date("2026-03-01T00:00:00.000Z");
    const marker = (userId: string, expiresInSeconds: number) => ({
      UserID: userId,
      DeletedAt: "2026-02-28T23:00:00.000Z",
      ExpiresAt: Math.floor(now.getTime() / 1000) + expiresInSeconds,
    });
    const deleting = user();
    const expired = user();
    const goneId = randomUUID();
    const findings = classify(
      [marker(deleting.userId, 3600), marker(expired.userId, -1), marker(goneId, 3600)],
      [deleting, expired],
      now,
    );
    expect(findings.profilesScanned).toBe(0);
    expect(findings.orphans).toEqual([]);
    expect(findings.missing.map((u) => u.userId)).toEqual([expired.userId]);
  });

  it("never takes a live deletion marker for a profile, even one that still holds an email", () => {
    const now = new Date("2026-03-01T00:00:00.000Z");
    const deleting = user({ email: "new@example.com" });
    const goneId = randomUUID();
    // Not what markDeleted writes, but what a hand edit or an older release could leave.
    const markerWithEmail = (userId: string) => ({
      UserID: userId,
      Email: "old@example.com",
      DeletedAt: "2026-02-28T23:00:00.000Z",
      ExpiresAt: Math.floor(now.getTime() / 1000) + 3600,
    });
    const findings = classify(
      [markerWithEmail(deleting.userId), markerWithEmail(goneId)],
      [deleting],
      now,
    );
    expect(findings).toMatchObject({ profilesScanned: 0, missing: [], orphans: [], drift: [] });
  });

  it("finds no drift for a user whose email reads as empty, even if marked verified", () => {
    const withoutEmail = user({ email: undefined, emailVerified: true });
    const findings = classify(
      [profileItem(withoutEmail.userId, "kept@example.com")],
      [withoutEmail],
    );
    expect(findings).toMatchObject({ usersScanned: 1, drift: [], missing: [], orphans: [] });
  });

  it("treats an item without an email as no profile, yet not as missing or orphan", () => {
    const deleting = user();
    const items = [
      { UserID: deleting.userId },
      { UserID: randomUUID() },
      { Email: "no-key@example.com" },
    ];
    const findings = classify(items, [deleting]);
    expect(findings).toMatchObject({ profilesScanned: 0, missing: [], orphans: [], drift: [] });
  });
});

describe("Reconcile.apply", () => {
  const now = () => new Date("2026-05-05T05:05:05.000Z");

  it("creates a missing profile exactly as the trigger does: same item, names cleaned", async () => {
    const fromTrigger = randomUUID();
    await Profile.create(
      profiles,
      newProfile(fromTrigger, "t@example.com", { firstName: "  Ada ", lastName: "" }),
      now(),
    );
    const missing = user({
      email: "t@example.com",
      attributes: attributesFor({ firstName: "  Ada ", lastName: "" }),
    });
    const findings = classify([], [missing]);
    const outcome = await Reconcile.apply(deps, findings, { now });
    expect(outcome).toMatchObject({ created: 1, alreadyExisted: 0, interrupted: false });
    expect(outcome.error).toBeUndefined();
    const { UserID: _a, ...healed } = (await rawItem(missing.userId)) ?? {};
    const { UserID: _b, ...triggered } = (await rawItem(fromTrigger)) ?? {};
    expect(healed).toEqual(triggered);
    expect(healed.firstName).toEqual({ S: "Ada" });
    expect(healed.lastName).toBeUndefined();
  });

  it("creates the profile over an expired deletion marker, never over a live one", async () => {
    const expired = user();
    const live = user();
    const past = new Date(Date.now() - 60_000);
    await Profile.markDeleted(profiles, expired.userId, past, new Date(Date.now() - 3_600_000));
    await Profile.markDeleted(profiles, live.userId, new Date(Date.now() + 3_600_000));
    const liveMarker = await rawItem(live.userId);
    // As if the live marker had been written after the scan.
    const findings = classify([], [expired, live]);
    const outcome = await Reconcile.apply(deps, findings);
    expect(outcome).toMatchObject({ created: 1, alreadyExisted: 1 });
    expect((await rawItem(expired.userId))?.Email).toEqual({ S: expired.email });
    expect(await rawItem(live.userId)).toEqual(liveMarker);
  });

  it("never overwrites a profile that appeared after the scan", async () => {
    const missing = user();
    const findings = classify([], [missing]);
    await Profile.create(profiles, { userId: missing.userId, email: "first@example.com" });
    const before = await rawItem(missing.userId);
    const outcome = await Reconcile.apply(deps, findings, { now });
    expect(outcome).toMatchObject({ created: 0, alreadyExisted: 1 });
    expect(await rawItem(missing.userId)).toEqual(before);
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(0);
  });

  it("updates a drifted email only while the profile holds the scanned one", async () => {
    const drifted = user({ email: "verified@example.com" });
    const raced = user({ email: "verified2@example.com" });
    for (const u of [drifted, raced]) {
      await Profile.create(profiles, { userId: u.userId, email: "old@example.com" });
    }
    const findings = classify(
      [
        profileItem(drifted.userId, "old@example.com"),
        profileItem(raced.userId, "old@example.com"),
      ],
      [drifted, raced],
    );
    await Profile.updateEmail(profiles, raced.userId, {
      from: "old@example.com",
      to: "changed-meanwhile@example.com",
    });
    const outcome = await Reconcile.apply(deps, findings, { now });
    expect(outcome).toMatchObject({ updated: 1, driftChangedMeanwhile: 1 });
    expect((await rawItem(drifted.userId))?.Email).toEqual({ S: "verified@example.com" });
    expect((await rawItem(drifted.userId))?.UpdatedAt).toEqual({ S: now().toISOString() });
    expect((await rawItem(raced.userId))?.Email).toEqual({ S: "changed-meanwhile@example.com" });
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(1);
  });

  it("leaves orphans alone without prune, and counts them as remaining drift", async () => {
    const orphan = randomUUID();
    await Profile.create(profiles, { userId: orphan, email: "o@example.com" });
    const findings = classify([profileItem(orphan, "o@example.com")], []);
    const outcome = await Reconcile.apply(deps, findings, { now });
    // The pool is unreachable here: asking it whether the user exists would be an error.
    expect(outcome).toMatchObject({ deleted: 0, orphansWithUser: 0, orphansChangedMeanwhile: 0 });
    expect(outcome.error).toBeUndefined();
    expect(await rawItem(orphan)).toBeDefined();
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(1);
    expect(Reconcile.remainingDrift(findings, null)).toBe(1);
  });

  it("stops starting writes when interrupted; a second run finishes the job", async () => {
    const users = Array.from({ length: 40 }, () => user());
    const findings = classify([], users);
    const interrupt = new AbortController();
    const first = await Reconcile.apply(deps, findings, {
      now,
      concurrency: 2,
      signal: interrupt.signal,
      onProgress: (progress) => {
        if (progress.phase === "apply" && progress.done === 10) interrupt.abort();
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.created).toBeGreaterThanOrEqual(10);
    expect(first.created).toBeLessThan(40);
    const second = await Reconcile.apply(deps, findings, { now });
    expect(second.created + second.alreadyExisted).toBe(40);
    expect(second.created).toBe(40 - first.created);
    for (const u of users) expect(await rawItem(u.userId)).toBeDefined();
  });

  it("stamps the writes with the current time when no clock is given", async () => {
    const missing = user();
    const drifted = user();
    await Profile.create(
      profiles,
      { userId: drifted.userId, email: "old@example.com" },
      new Date("2026-01-01T00:00:00.000Z"),
    );
    const findings = classify([profileItem(drifted.userId, "old@example.com")], [missing, drifted]);
    const before = new Date().toISOString();
    const outcome = await Reconcile.apply(deps, findings);
    const after = new Date().toISOString();
    expect(outcome).toMatchObject({ created: 1, updated: 1 });
    expect(outcome.error).toBeUndefined();
    const createdAt = (await rawItem(missing.userId))?.CreatedAt?.S ?? "";
    const updatedAt = (await rawItem(drifted.userId))?.UpdatedAt?.S ?? "";
    for (const stamp of [createdAt, updatedAt]) {
      expect(stamp >= before && stamp <= after, `${stamp} within [${before}, ${after}]`).toBe(true);
    }
  });

  it("keeps several writes in flight at once, as many as asked", async () => {
    /** Counts the table requests awaiting their answer. */
    const counting = () => {
      let inFlight = 0;
      let most = 0;
      const client = Object.create(profiles.client) as typeof profiles.client;
      client.send = (async (command: never) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await profiles.client.send(command);
        } finally {
          inFlight -= 1;
        }
      }) as typeof client.send;
      return { deps: { ...deps, profiles: { ...profiles, client } }, most: () => most };
    };
    const run = async (concurrency: number | undefined) => {
      const table = counting();
      const findings = classify(
        [],
        Array.from({ length: 12 }, () => user()),
      );
      const outcome = await Reconcile.apply(table.deps, findings, { concurrency });
      expect(outcome).toMatchObject({ created: 12, interrupted: false });
      return table.most();
    };
    expect(await run(undefined)).toBeGreaterThan(1);
    expect(await run(3)).toBe(3);
    expect(await run(0)).toBe(1);
  });

  it("cannot make a profile for a user without an email, and says so", async () => {
    const findings = classify([], [user({ email: undefined })]);
    const outcome = await Reconcile.apply(deps, findings, { now });
    expect(outcome).toMatchObject({ created: 0, missingWithoutEmail: 1 });
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(1);
  });

  it("is not interrupted when the signal fires after the last write", async () => {
    const interrupt = new AbortController();
    const findings = classify([], [user(), user()]);
    const outcome = await Reconcile.apply(deps, findings, {
      signal: interrupt.signal,
      onProgress: (progress) => {
        if (progress.phase === "apply" && progress.done === progress.total) interrupt.abort();
      },
    });
    expect(outcome).toMatchObject({ created: 2, interrupted: false });
  });

  it("starts no new write once one has failed", async () => {
    // An empty key is refused by DynamoDB: an error no condition explains.
    const findings: Reconcile.Findings = {
      ...classify([], []),
      missing: [user({ userId: "" }), ...Array.from({ length: 20 }, () => user())],
    };
    const outcome = await Reconcile.apply(deps, findings, { concurrency: 2 });
    expect((outcome.error as Error).name).toBe("ValidationException");
    expect(outcome.created).toBeLessThanOrEqual(3);
  });

  it("stops at the first unexpected error and reports it", async () => {
    const broken = {
      ...deps,
      profiles: Profile.store("NoSuchTable", new DynamoDBClient({ endpoint, region: "us-east-1" })),
    };
    const findings = classify([], [user(), user(), user()]);
    const outcome = await Reconcile.apply(broken, findings, { concurrency: 1 });
    expect((outcome.error as Error).name).toBe("ResourceNotFoundException");
    expect(outcome).toMatchObject({ created: 0, interrupted: false });
    expect(Reconcile.remainingDrift(findings, outcome)).toBe(3);
  });
});

describe("Reconcile.summary", () => {
  it("reports what was found and what was written, as numbers", () => {
    const findings = classify(
      [profileItem(randomUUID(), "o@example.com")],
      [user(), user({ status: "UNCONFIRMED" })],
    );
    expect(Reconcile.summary(findings, null)).toEqual({
      usersScanned: 2,
      profilesScanned: 1,
      missingProfiles: 1,
      orphanProfiles: 1,
      emailDrift: 0,
      unconfirmedUsers: 1,
      created: 0,
      updated: 0,
      deleted: 0,
    });
  });
});
