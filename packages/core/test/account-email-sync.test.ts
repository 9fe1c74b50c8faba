import { AdminUpdateUserAttributesCommand } from "@aws-sdk/client-cognito-identity-provider";
import { uniqueEmail } from "@userprofile/local/testing";
import { describe, expect, it } from "vitest";
import { Account } from "../src/account";
import { useAccountFixture, visibleCode } from "./account-fixture";

const { rawItem, request, withProfile, confirmedUser, pool } = useAccountFixture();

const setEmail = (username: string, email: string, verified: boolean) =>
  pool().client.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: pool().pool.userPoolId,
      Username: username,
      UserAttributes: [
        { Name: "email", Value: email },
        ...(verified ? [{ Name: "email_verified", Value: "true" }] : []),
      ],
    }),
  );

describe("Account.syncEmail", () => {
  it("never copies an unverified email, and copies it once verified", async () => {
    const { caller, email } = await withProfile();
    const next = uniqueEmail("synced");
    await setEmail(caller.username, next, false);
    expect((await Account.syncEmail(request().deps, caller)).email).toBe(email);
    expect((await rawItem(caller.userId))?.Email).toEqual({ S: email });

    await setEmail(caller.username, next, true);
    expect((await Account.syncEmail(request().deps, caller)).email).toBe(next);
    expect((await rawItem(caller.userId))?.Email).toEqual({ S: next });
  });

  it("creates no profile: a user without one gets 404 profile_not_found (GET /me heals)", async () => {
    const { caller } = await confirmedUser();
    expect(await visibleCode(Account.syncEmail(request().deps, caller))).toBe("profile_not_found");
    expect(await rawItem(caller.userId)).toBeUndefined();
  });

  it("changes nothing when the emails already match", async () => {
    const { caller, email } = await withProfile();
    const before = await rawItem(caller.userId);
    expect((await Account.syncEmail(request().deps, caller)).email).toBe(email);
    expect(await rawItem(caller.userId)).toEqual(before);
  });
});
