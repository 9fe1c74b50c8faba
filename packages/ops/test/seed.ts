import { randomUUID } from "node:crypto";
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  paginateScan,
} from "@aws-sdk/client-dynamodb";
import { Profile } from "@userprofile/core/profile";
import type { LocalOutputs, LocalStack } from "@userprofile/local";

/** What this app's `run()` returns (sst.config.ts), beside the local endpoints. */
export type AppOutputs = LocalOutputs & {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  usersTable: string;
  cognitoEndpoint: string;
};

export const outputsOf = (stack: LocalStack) => stack.outputs as AppOutputs;

import { attributesFor, newProfile } from "@userprofile/core/testing/profiles";

export const PASSWORD = "Seed-Passw0rd!";

const poolAttributes = (names: { firstName?: string; lastName?: string }) =>
  Object.entries(attributesFor(names)).map(([Name, Value]) => ({ Name, Value }));

/** What the pool and the table hold after seeding, by the kind of drift each user has. */
export interface Seed {
  /** Confirmed users whose profile is right (some had their email changed without verifying it). */
  healthy: string[];
  /** Confirmed users without a profile, with the names their profile must get. */
  missing: Map<string, { email: string; firstName?: string; lastName?: string }>;
  /** Profiles whose user does not exist. */
  orphans: string[];
  /** Users whose verified email differs from the profile's: sub → the new email. */
  drift: Map<string, string>;
  unconfirmed: string[];
  /** Deletion markers (DELETE /me) whose user is gone, as after a completed account deletion. */
  deletedAccounts: string[];
  /** Deletion markers whose user is still in the pool (the deletion is under way or failed half-way). */
  deletionInProgress: string[];
  /** Every email and name the seed used: none may appear in any output. */
  secrets: string[];
}

export const emptySeed = (): Seed => ({
  healthy: [],
  missing: new Map(),
  orphans: [],
  drift: new Map(),
  unconfirmed: [],
  deletedAccounts: [],
  deletionInProgress: [],
  secrets: [],
});

export interface SeedCounts {
  /** Confirmed users with a correct profile written by the admin path. */
  healthy: number;
  /** Of those, how many are signed up and confirmed so the real trigger writes the profile. */
  viaTrigger: number;
  /** Healthy users whose email changed in the pool but is not verified: not drift. */
  unverifiedChange: number;
  /** Created by an admin (no trigger). */
  missingAdminCreated: number;
  /** Confirmed through the trigger, then the profile lost (as when the trigger failed). */
  missingLostProfile: number;
  /** Profiles for subs that never existed. */
  orphanRows: number;
  /** Users deleted from the pool behind the table's back. */
  orphanDeletedUsers: number;
  drift: number;
  unconfirmed: number;
  deletedAccounts: number;
  deletionInProgress: number;
}

/** Runs tasks `width` at a time. */
async function inParallel<T>(items: T[], width: number, task: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next] as T;
        next += 1;
        await task(item);
      }
    }),
  );
}

let serial = 0;

/**
 * Seeds the pool and the table through their public APIs: users as an admin
 * or a person would create them, and drift the way it arises in production.
 */
export async function seedDrift(
  outputs: AppOutputs,
  cognito: CognitoIdentityProviderClient,
  dynamodb: DynamoDBClient,
  counts: Partial<SeedCounts>,
  seed: Seed = emptySeed(),
): Promise<Seed> {
  const profiles = Profile.store(outputs.usersTable, dynamodb);
  const pool = outputs.userPoolId;
  const person = () => {
    serial += 1;
    const n = `${Date.now().toString(36)}${serial}`;
    const identity = {
      email: `reconcile.${n}@example.com`,
      firstName: `Seedfirst${n}`,
      lastName: `Seedlast${n}`,
    };
    seed.secrets.push(identity.email, identity.firstName, identity.lastName);
    return identity;
  };

  /**
   * A user made by an admin: no trigger runs. With a permanent password the
   * user is CONFIRMED, otherwise FORCE_CHANGE_PASSWORD until first sign-in.
   */
  const adminUser = async (
    identity: { email: string; firstName?: string; lastName?: string },
    { permanentPassword = true } = {},
  ) => {
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool,
        Username: identity.email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: identity.email },
          { Name: "email_verified", Value: "true" },
          ...poolAttributes(identity),
        ],
      }),
    );
    const sub = created.User?.Attributes?.find((a) => a.Name === "sub")?.Value;
    if (!sub) throw new Error("AdminCreateUser returned no sub");
    if (!permanentPassword) return sub;
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: sub,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    return sub;
  };

  const signUp = async (identity: { email: string; firstName: string; lastName: string }) => {
    const result = await cognito.send(
      new SignUpCommand({
        ClientId: outputs.userPoolClientId,
        Username: identity.email,
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: identity.email }, ...poolAttributes(identity)],
      }),
    );
    return result.UserSub as string;
  };

  /** Confirmation fires the Post Confirmation trigger, which writes the profile. */
  const signUpAndConfirm = async (identity: {
    email: string;
    firstName: string;
    lastName: string;
  }) => {
    const sub = await signUp(identity);
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: sub }));
    const { Item } = await dynamodb.send(
      new GetItemCommand({
        TableName: outputs.usersTable,
        Key: { UserID: { S: sub } },
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new Error("The trigger wrote no profile");
    return sub;
  };

  /** A healthy user: confirmed, with the profile the trigger would have written. */
  const healthyUser = async () => {
    const identity = person();
    const sub = await adminUser(identity);
    await Profile.create(profiles, newProfile(sub, identity.email, identity));
    return { sub, identity };
  };

  const times = (n = 0) => Array.from({ length: n }, (_, i) => i);
  const width = 8;

  await inParallel(times(counts.healthy), width, async () => {
    seed.healthy.push((await healthyUser()).sub);
  });
  await inParallel(times(counts.viaTrigger), width, async () => {
    seed.healthy.push(await signUpAndConfirm(person()));
  });
  await inParallel(times(counts.unverifiedChange), width, async () => {
    const { sub } = await healthyUser();
    const changed = person().email;
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool,
        Username: sub,
        UserAttributes: [
          { Name: "email", Value: changed },
          { Name: "email_verified", Value: "false" },
        ],
      }),
    );
    seed.healthy.push(sub);
  });
  await inParallel(times(counts.missingAdminCreated), width, async (i) => {
    const identity = person();
    // Names as people type them: padded, blank or absent; the profile gets them cleaned.
    const variants = [
      { firstName: `  ${identity.firstName}  `, lastName: identity.lastName },
      { firstName: identity.firstName },
      { firstName: "   ", lastName: identity.lastName },
      {},
    ];
    const names = variants[i % variants.length] as { firstName?: string; lastName?: string };
    const sub = await adminUser(
      { email: identity.email, ...names },
      { permanentPassword: i % 2 === 0 },
    );
    seed.missing.set(sub, {
      email: identity.email,
      ...(names.firstName?.trim() ? { firstName: names.firstName.trim() } : {}),
      ...(names.lastName?.trim() ? { lastName: names.lastName.trim() } : {}),
    });
  });
  await inParallel(times(counts.missingLostProfile), width, async () => {
    const identity = person();
    const sub = await signUpAndConfirm(identity);
    await dynamodb.send(
      new DeleteItemCommand({ TableName: outputs.usersTable, Key: { UserID: { S: sub } } }),
    );
    seed.missing.set(sub, identity);
  });
  await inParallel(times(counts.orphanRows), width, async () => {
    const sub = randomUUID();
    const identity = person();
    await Profile.create(profiles, newProfile(sub, identity.email, identity));
    seed.orphans.push(sub);
  });
  await inParallel(times(counts.orphanDeletedUsers), width, async () => {
    const { sub } = await healthyUser();
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: sub }));
    seed.orphans.push(sub);
  });
  await inParallel(times(counts.drift), width, async () => {
    const { sub } = await healthyUser();
    const verified = person().email;
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool,
        Username: sub,
        UserAttributes: [
          { Name: "email", Value: verified },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    seed.drift.set(sub, verified);
  });
  await inParallel(times(counts.unconfirmed), width, async () => {
    seed.unconfirmed.push(await signUp(person()));
  });
  // What DELETE /me leaves: the profile replaced by a marker, then the user deleted.
  const markerExpiry = new Date(Date.now() + 2 * 3600_000);
  await inParallel(times(counts.deletedAccounts), width, async () => {
    const { sub } = await healthyUser();
    await Profile.markDeleted(profiles, sub, markerExpiry);
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: sub }));
    seed.deletedAccounts.push(sub);
  });
  await inParallel(times(counts.deletionInProgress), width, async () => {
    const { sub } = await healthyUser();
    await Profile.markDeleted(profiles, sub, markerExpiry);
    seed.deletionInProgress.push(sub);
  });
  return seed;
}

export type TableSnapshot = Map<string, Record<string, AttributeValue>>;

/** Every item of the table, as DynamoDB stores it. */
export async function snapshotTable(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<TableSnapshot> {
  const items: TableSnapshot = new Map();
  for await (const page of paginateScan(
    { client: dynamodb },
    { TableName: tableName, ConsistentRead: true },
  )) {
    for (const item of page.Items ?? []) items.set(item.UserID?.S as string, item);
  }
  return items;
}
