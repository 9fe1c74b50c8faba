import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Profile } from "@userprofile/core/profile";
import { useLocalDynamoDB } from "@userprofile/core/testing/env";
import { newProfile } from "@userprofile/core/testing/profiles";
import {
  failure,
  type Harness,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "@userprofile/local/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiEvent, ApiResult } from "../src/api/http";
import { apiEvent } from "./events";

/** The DELETE /me handler as deployed: its own clients, pointed at dynalite and the local pool. */
const { client, tableName, rawItem } = useLocalDynamoDB();
const store = Profile.store(tableName, client);
let pool: Harness;
let deleteMe: (event: ApiEvent) => Promise<ApiResult>;

beforeAll(async () => {
  pool = await startHarness();
  process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = pool.pool.endpoint;
  process.env.SST_RESOURCE_UserPool = JSON.stringify({ id: pool.pool.userPoolId });
  deleteMe = (await import("../src/api/delete-me")).handler;
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
  await pool?.stop();
});

describe("DELETE /me", () => {
  it("answers 204 with no body, deletes the pool user and keeps no personal data", async () => {
    const email = uniqueEmail("delete-me");
    const { UserSub } = await signUpAndConfirm(pool, email);
    const userId = UserSub as string;
    await Profile.create(
      store,
      newProfile(userId, email, { firstName: "Ada", lastName: "Lovelace" }),
    );

    const result = await deleteMe(apiEvent("DELETE /me", { sub: userId }));

    expect(result).toEqual({ statusCode: 204 });
    expect(
      await failure(
        pool.client.send(
          new AdminGetUserCommand({ UserPoolId: pool.pool.userPoolId, Username: userId }),
        ),
      ),
    ).toMatchObject({ name: "UserNotFoundException" });
    expect(Object.keys((await rawItem(userId)) ?? {}).sort()).toEqual([
      "DeletedAt",
      "ExpiresAt",
      "UserID",
    ]);
  });

  it("answers 401 and deletes nothing without a verified subject", async () => {
    const result = await deleteMe(apiEvent("DELETE /me", { sub: null }));
    expect(result.statusCode).toBe(401);
  });
});
