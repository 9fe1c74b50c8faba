import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { localCredentials } from "@userprofile/core/aws-tools";
import { ephemeralConfig, type LocalStack, startLocalStack } from "@userprofile/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, summaryOf } from "./cli-process";
import { outputsOf, type Seed, seedDrift, snapshotTable, type TableSnapshot } from "./seed";

let dir: string;
let stack: LocalStack;
let cognito: CognitoIdentityProviderClient;
let dynamodb: DynamoDBClient;
let outputsFile: string;
let seed: Seed;
let seeded: TableSnapshot;

/** The counts every run must report for the seed below. */
const COUNTS = {
  healthy: 150,
  viaTrigger: 10,
  unverifiedChange: 10,
  missingAdminCreated: 24,
  missingLostProfile: 6,
  orphanRows: 15,
  orphanDeletedUsers: 5,
  drift: 25,
  unconfirmed: 15,
  deletedAccounts: 4,
  deletionInProgress: 3,
};
const USERS =
  COUNTS.deletionInProgress +
  COUNTS.healthy +
  COUNTS.viaTrigger +
  COUNTS.unverifiedChange +
  COUNTS.missingAdminCreated +
  COUNTS.missingLostProfile +
  COUNTS.drift +
  COUNTS.unconfirmed;
const PROFILES =
  COUNTS.healthy +
  COUNTS.viaTrigger +
  COUNTS.unverifiedChange +
  COUNTS.orphanRows +
  COUNTS.orphanDeletedUsers +
  COUNTS.drift;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reconcile-"));
  stack = await startLocalStack(ephemeralConfig(join(dir, "data")));
  const aws = { region: outputsOf(stack).region, credentials: localCredentials };
  cognito = new CognitoIdentityProviderClient({
    ...aws,
    endpoint: outputsOf(stack).cognitoEndpoint,
  });
  dynamodb = new DynamoDBClient({ ...aws, endpoint: outputsOf(stack).dynamodbEndpoint });
  outputsFile = join(dir, "outputs.json");
  await writeFile(outputsFile, JSON.stringify(outputsOf(stack)));
  const startedAt = performance.now();
  seed = await seedDrift(outputsOf(stack), cognito, dynamodb, COUNTS);
  console.info(`seeded ${USERS} users in ${Math.round(performance.now() - startedAt)} ms`);
  seeded = await snapshotTable(dynamodb, outputsOf(stack).usersTable);
}, 240_000);

afterAll(async () => {
  cognito?.destroy();
  dynamodb?.destroy();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs against the seeded stack the way `pnpm dev:local` exposes it (.local/outputs.json). */
const reconcile = (...args: string[]) => runCli(args, { LOCAL_OUTPUTS_FILE: outputsFile });
const table = () => snapshotTable(dynamodb, outputsOf(stack).usersTable);

function expectNoPersonalData(text: string) {
  expect(text).not.toMatch(/@example\.com/);
  for (const secret of seed.secrets) expect(text).not.toContain(secret);
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

describe("pnpm users:reconcile on seeded drift", () => {
  it("dry run: reports exactly the seeded drift, writes nothing, exits 1", async () => {
    const result = await reconcile("--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toEqual({
      usersScanned: USERS,
      profilesScanned: PROFILES,
      missingProfiles: seed.missing.size,
      orphanProfiles: seed.orphans.length,
      emailDrift: seed.drift.size,
      unconfirmedUsers: seed.unconfirmed.length,
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(await table()).toEqual(seeded);
  });

  it("--verbose lists the ids of each group, never an email or a name", async () => {
    const result = await reconcile("--verbose");
    expect(result.code).toBe(1);
    const groups = new Map<string, string[]>();
    let current: string[] | undefined;
    for (const line of result.stdout.split("\n")) {
      const heading = /^(\S.*) \(\d+\):$/.exec(line);
      if (heading) {
        current = [];
        groups.set(heading[1] as string, current);
      } else if (current && /^ {2}\S+$/.test(line)) {
        current.push(line.trim());
      } else {
        current = undefined;
      }
    }
    expect(sorted(groups.get("confirmed users without a profile") ?? [])).toEqual(
      sorted(seed.missing.keys()),
    );
    expect(sorted(groups.get("profiles without a user") ?? [])).toEqual(sorted(seed.orphans));
    expect(sorted(groups.get("profiles whose email is not the verified email") ?? [])).toEqual(
      sorted(seed.drift.keys()),
    );
    expect(sorted(groups.get("unconfirmed users") ?? [])).toEqual(sorted(seed.unconfirmed));
    expect(result.stdout).toContain("Dry run: nothing was written.");
    expectNoPersonalData(result.stdout + result.stderr);

    const json = await reconcile("--json", "--verbose");
    expect(summaryOf(json).missingProfiles).toBe(seed.missing.size);
    for (const id of seed.orphans) expect(json.stderr).toContain(id);
    expectNoPersonalData(json.stdout + json.stderr);
  });

  it("--prune without --apply is refused (exit 2) and writes nothing", async () => {
    const result = await reconcile("--prune");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/--prune .* only runs with --apply/);
    expect(await table()).toEqual(seeded);
  });

  it("--apply heals missing profiles and drifted emails, leaves healthy rows byte for byte", async () => {
    const result = await reconcile("--apply", "--json");
    // Orphans stay without --prune, so drift remains.
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toMatchObject({
      missingProfiles: seed.missing.size,
      created: seed.missing.size,
      emailDrift: seed.drift.size,
      updated: seed.drift.size,
      orphanProfiles: seed.orphans.length,
      deleted: 0,
    });

    const after = await table();
    for (const id of seed.healthy) expect(after.get(id)).toEqual(seeded.get(id));
    for (const id of seed.orphans) expect(after.get(id)).toEqual(seeded.get(id));
    // Deletion markers are neither profiles to heal nor orphans.
    const markers = [...seed.deletedAccounts, ...seed.deletionInProgress];
    for (const id of markers) expect(after.get(id)).toEqual(seeded.get(id));
    for (const [id, expected] of seed.missing) {
      const item = after.get(id);
      expect(item?.Email).toEqual({ S: expected.email });
      expect(item?.firstName).toEqual(expected.firstName ? { S: expected.firstName } : undefined);
      expect(item?.lastName).toEqual(expected.lastName ? { S: expected.lastName } : undefined);
      expect(item?.CreatedAt).toEqual(item?.UpdatedAt);
    }
    for (const [id, email] of seed.drift) {
      const { Email, UpdatedAt, ...rest } = after.get(id) ?? {};
      const { Email: _old, UpdatedAt: oldUpdatedAt, ...restBefore } = seeded.get(id) ?? {};
      expect(Email).toEqual({ S: email });
      expect(rest).toEqual(restBefore);
      expect(UpdatedAt?.S && oldUpdatedAt?.S && UpdatedAt.S > oldUpdatedAt.S).toBe(true);
    }
    // Every user who is not unconfirmed now has exactly one profile, and nothing else was added.
    const confirmed = [...seed.healthy, ...seed.missing.keys(), ...seed.drift.keys()];
    expect(confirmed.filter((id) => after.get(id)?.Email)).toHaveLength(confirmed.length);
    expect(after.size).toBe(confirmed.length + seed.orphans.length + markers.length);
  });

  it("a re-run finds only the orphans and writes nothing", async () => {
    const before = await table();
    const result = await reconcile("--apply", "--json");
    expect(result.code).toBe(1);
    expect(summaryOf(result)).toMatchObject({
      missingProfiles: 0,
      emailDrift: 0,
      orphanProfiles: seed.orphans.length,
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(await table()).toEqual(before);
  });

  it("--apply --prune deletes the orphans only; then a dry run exits 0", async () => {
    const before = await table();
    const result = await reconcile("--apply", "--prune");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No drift remains.");
    expectNoPersonalData(result.stdout + result.stderr);
    const after = await table();
    for (const id of seed.orphans) expect(after.has(id)).toBe(false);
    for (const id of [...seed.deletedAccounts, ...seed.deletionInProgress]) {
      expect(after.get(id)).toEqual(seeded.get(id));
    }
    expect(after.size).toBe(before.size - seed.orphans.length);
    for (const [id, item] of after) expect(item).toEqual(before.get(id));

    const dry = await reconcile("--json");
    expect(dry.code).toBe(0);
    expect(summaryOf(dry)).toEqual({
      usersScanned: USERS,
      profilesScanned: USERS - seed.unconfirmed.length - seed.deletionInProgress.length,
      missingProfiles: 0,
      orphanProfiles: 0,
      emailDrift: 0,
      unconfirmedUsers: seed.unconfirmed.length,
      created: 0,
      updated: 0,
      deleted: 0,
    });
    expect(await table()).toEqual(after);
  });
});
