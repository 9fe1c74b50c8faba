import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { Profile } from "../src/profile";
import { Reconcile } from "../src/reconcile";
import { useLocalDynamoDB } from "./env";
import { classify, profileItem, poolUser as user } from "./findings";
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
