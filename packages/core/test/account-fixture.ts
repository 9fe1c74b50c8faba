import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  type Harness,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "@userprofile/local/testing";
import { afterAll, beforeAll, expect } from "vitest";
import { Account } from "../src/account";
import { VisibleError } from "../src/error";
import { Profile } from "../src/profile";
import type { ProfileFields } from "../src/profile-fields";
import { useLocalDynamoDB } from "./env";
import { interleaved } from "./interleave";
import { attributesFor, newProfile } from "./profiles";

type FieldValues = Partial<Record<ProfileFields.Key, string>>;

/** Account's tests: the user-pool emulator, dynalite, and what they do with them. */
export function useAccountFixture() {
  const { client: dynamodb, tableName, rawItem } = useLocalDynamoDB();
  let pool: Harness;

  beforeAll(async () => {
    pool = await startHarness();
  });

  afterAll(async () => {
    await pool?.stop();
  });

  /** What one request sees: its own clients, so the test can hold its calls. */
  function request(now = () => new Date()) {
    const table = interleaved(Profile.store(tableName, dynamodb).client);
    const cognito = interleaved<CognitoIdentityProviderClient>(pool.client);
    return {
      table,
      cognito,
      deps: Account.deps(
        { tableName, client: table.client },
        pool.pool.userPoolId,
        cognito.client,
        now,
      ),
    };
  }

  const store = () => Profile.store(tableName, dynamodb);

  /** A confirmed user; the harness's trigger writes nothing, so there is no profile yet. */
  async function confirmedUser(values: FieldValues = {}) {
    const email = uniqueEmail("account");
    const { UserSub } = await signUpAndConfirm(pool, email, attributesFor(values));
    const sub = UserSub as string;
    return { email, caller: { userId: sub, username: sub } };
  }

  async function withProfile(values: FieldValues = { firstName: "Ada", lastName: "Lovelace" }) {
    const user = await confirmedUser(values);
    await Profile.create(store(), newProfile(user.caller.userId, user.email, values));
    return user;
  }

  /** A deletion marker: the key, when, and until when; no email, no names. */
  async function expectMarker(userId: string) {
    const item = await rawItem(userId);
    expect(Object.keys(item ?? {}).sort()).toEqual(["DeletedAt", "ExpiresAt", "UserID"]);
    return item;
  }

  async function userExists(sub: string) {
    try {
      await pool.client.send(
        new AdminGetUserCommand({ UserPoolId: pool.pool.userPoolId, Username: sub }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === "UserNotFoundException") return false;
      throw error;
    }
  }

  return {
    rawItem,
    request,
    store,
    confirmedUser,
    withProfile,
    expectMarker,
    userExists,
    pool: () => pool,
  };
}

/** The code of the VisibleError a call fails with. */
export async function visibleCode(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VisibleError);
  return (error as VisibleError).code;
}
