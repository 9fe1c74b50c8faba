import {
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignInSession } from "../testing/amplify-node";
import { api, latestCode, PASSWORD, rawItem, signUpAndConfirm, uniqueEmail } from "./flows";
import { startLocalTarget, type Target } from "./target";

let target: Target;

beforeAll(async () => {
  target = await startLocalTarget();
  configureAmplifyInNode(target);
});

afterAll(async () => {
  await target?.stop();
});

describe("the profile's email follows the newly verified one (POST /me/email-sync)", () => {
  it("keeps the old email while the new one is unverified, and takes the new one once verified", async () => {
    const before = uniqueEmail("sync-old");
    const after = uniqueEmail("sync-new");
    const sub = await signUpAndConfirm(target, before);
    const { idToken, accessToken } = await srpSignInSession(before, PASSWORD);
    await target.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: [{ Name: "email", Value: after }],
      }),
    );

    const early = await api(target, "POST", "/me/email-sync", { token: idToken });
    expect(early).toMatchObject({ status: 200, body: { email: before } });
    expect((await rawItem(target, sub))?.Email).toEqual({ S: before });

    await target.cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken: accessToken,
        AttributeName: "email",
        Code: await latestCode(target, after, "verify-attribute" as never),
      }),
    );
    // The token still says the old address; the pool's verified record decides.
    const synced = await api(target, "POST", "/me/email-sync", { token: idToken });
    expect(synced).toMatchObject({ status: 200, body: { email: after } });
    expect((await rawItem(target, sub))?.Email).toEqual({ S: after });
    expect((await api(target, "GET", "/me", { token: idToken })).body).toMatchObject({
      email: after,
    });
  });

  it("needs a valid token", async () => {
    expect((await api(target, "POST", "/me/email-sync")).status).toBe(401);
  });
});
