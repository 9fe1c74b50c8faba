import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, errorName, PASSWORD, rawItem, signUpAndConfirm, uniqueEmail } from "./flows";
import { stackSigningKey } from "./pool-keys";
import { startTarget, type Target } from "./target";

let target: Target;
/** Needs the local mailbox or the emulator's signing key: skipped against a deployed stage. */
const localOnly = it.runIf(process.env.TARGET_OUTPUTS === undefined);

beforeAll(async () => {
  target = await startTarget();
  configureAmplifyInNode(target);
});

afterAll(async () => {
  await target?.stop();
});

describe("the JWT authorizer", () => {
  let idToken: string;
  const email = uniqueEmail("jwt");

  beforeAll(async () => {
    await signUpAndConfirm(target, email);
    ({ idToken } = await srpSignIn(email, PASSWORD));
  });

  const expect401 = async (headers: Record<string, string>) => {
    const result = await api(target, "GET", "/me", { headers });
    expect(result).toMatchObject({ status: 401, body: { message: "Unauthorized" } });
  };

  it("rejects a missing or malformed token", async () => {
    await expect401({});
    await expect401({ authorization: "Bearer not-a-jwt" });
    await expect401({ authorization: "Basic dXNlcjpwYXNz" });
  });

  it("rejects a token whose signature was tampered with", async () => {
    const [header, payload, signature] = idToken.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString(
      "base64url",
    );
    await expect401({ authorization: `Bearer ${header}.${forgedPayload}.${signature}` });
    const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    await expect401({ authorization: `Bearer ${header}.${payload}.${flipped}` });
  });

  localOnly("rejects an expired token signed by the pool's own key", async () => {
    // Minting with the pool's own key (read from its data directory) isolates
    // the expiry check from the signature check.
    const { key } = await stackSigningKey(target);
    const claims = decodeJwt(idToken);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = await new SignJWT({ ...claims, iat: past - 3600, exp: past })
      .setProtectedHeader(decodeProtectedHeader(idToken) as { alg: string; kid: string })
      .sign(key);
    await expect401({ authorization: `Bearer ${expired}` });
    const fresh = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })
      .setProtectedHeader(decodeProtectedHeader(idToken) as { alg: string; kid: string })
      .sign(key);
    expect((await api(target, "GET", "/me", { token: fresh })).status).toBe(200);
  });

  it("rejects a token issued to another app client of the same pool", async () => {
    const { UserPoolClient } = await target.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: target.userPoolId,
        ClientName: `other-${Date.now()}`,
        ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    configureAmplifyInNode({ ...target, userPoolClientId: UserPoolClient?.ClientId as string });
    try {
      const other = await srpSignIn(email, PASSWORD);
      await expect401({ authorization: `Bearer ${other.idToken}` });
      await expect401({ authorization: `Bearer ${other.accessToken}` });
    } finally {
      configureAmplifyInNode(target);
    }
  });
});

describe("DELETE /me", () => {
  it("deletes the profile and the user, and is idempotent", async () => {
    const email = uniqueEmail("delete");
    const sub = await signUpAndConfirm(target, email);
    const { idToken } = await srpSignIn(email, PASSWORD);
    const first = await api(target, "DELETE", "/me", { token: idToken });
    expect(first.status).toBe(204);
    // What stays is a deletion marker: the key and its expiry, no email or names.
    expect(Object.keys((await rawItem(target, sub)) ?? {}).sort()).toEqual([
      "DeletedAt",
      "ExpiresAt",
      "UserID",
    ]);
    expect(
      await errorName(
        target.cognito.send(
          new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: sub }),
        ),
      ),
    ).toBe("UserNotFoundException");
    expect((await api(target, "DELETE", "/me", { token: idToken })).status).toBe(204);
    expect(await errorName(srpSignIn(email, PASSWORD))).toMatch(/NotAuthorized|UserNotFound/);
    expect((await api(target, "GET", "/me", { token: idToken })).status).toBe(404);
  });
});
