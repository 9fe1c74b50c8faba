import {
  AdminInitiateAuthCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { signOut } from "aws-amplify/auth";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignInSession } from "../testing/amplify-node";
import {
  failure,
  type Harness,
  PASSWORD,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

let h: Harness;
/** A second app client, for tests only, that allows the password flows the web client refuses. */
let testClientId: string;

beforeAll(async () => {
  h = await startHarness();
  configureAmplifyInNode({ ...h.pool, cognitoEndpoint: h.pool.endpoint });
  const { UserPoolClient } = await h.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: h.pool.userPoolId,
      ClientName: "sessions-test",
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
      EnableTokenRevocation: true,
    }),
  );
  testClientId = UserPoolClient?.ClientId as string;
});

afterEach(async () => {
  await signOut();
  h.clock.reset();
});

afterAll(async () => {
  await h?.stop();
});

const refresh = (client: CognitoIdentityProviderClient, clientId: string, token: string) =>
  client.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token }));

const getUser = (accessToken: string) =>
  h.client.send(new GetUserCommand({ AccessToken: accessToken }));

/** A sign-in on the test client, beside the web client's Amplify session. */
async function passwordSession(email: string) {
  const { AuthenticationResult } = await h.client.send(
    new InitiateAuthCommand({
      ClientId: testClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  return {
    accessToken: AuthenticationResult?.AccessToken as string,
    refreshToken: AuthenticationResult?.RefreshToken as string,
  };
}

const revoked = { name: "NotAuthorizedException", message: "Refresh Token has been revoked" };
const accessRevoked = { name: "NotAuthorizedException", message: "Access Token has been revoked" };

describe("tokens as Cognito issues them with token revocation on", () => {
  it("carry jti and one origin_jti per sign-in; a refresh keeps origin_jti and auth_time", async () => {
    const email = uniqueEmail("claims");
    await signUpAndConfirm(h, email);
    const first = await srpSignInSession(email, PASSWORD);
    const id = decodeJwt(first.idToken);
    const access = decodeJwt(first.accessToken);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(id.origin_jti).toMatch(uuid);
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(id.jti).toMatch(uuid);
    expect(access.jti).toMatch(uuid);
    expect(access.jti).not.toBe(id.jti);
    expect(id.auth_time).toBe(id.iat);
    expect(access.auth_time).toBe(access.iat);

    h.clock.advance(600);
    const { AuthenticationResult: renewed } = await refresh(
      h.client,
      h.pool.userPoolClientId,
      first.refreshToken,
    );
    const renewedId = decodeJwt(renewed?.IdToken as string);
    const renewedAccess = decodeJwt(renewed?.AccessToken as string);
    expect(renewedId.origin_jti).toBe(id.origin_jti);
    expect(renewedAccess.origin_jti).toBe(id.origin_jti);
    expect(renewedAccess.jti).not.toBe(access.jti);
    expect(renewedId.auth_time).toBe(id.auth_time);
    expect(renewedAccess.auth_time).toBe(access.auth_time);
    expect(renewedAccess.iat).toBeGreaterThanOrEqual((access.iat as number) + 600);
    expect(renewedAccess.exp).toBe((renewedAccess.iat as number) + 3600);

    const second = await srpSignInSession(email, PASSWORD);
    expect(decodeJwt(second.idToken).origin_jti).not.toBe(id.origin_jti);
  });
});

describe("sign-out", () => {
  it("Amplify's signOut() revokes the refresh token and, for the pool's APIs, its access tokens", async () => {
    const email = uniqueEmail("signout");
    await signUpAndConfirm(h, email);
    const other = await passwordSession(email);
    const session = await srpSignInSession(email, PASSWORD);
    expect((await getUser(session.accessToken)).Username).toBeTruthy();

    await signOut();

    expect(await failure(refresh(h.client, h.pool.userPoolClientId, session.refreshToken))).toEqual(
      revoked,
    );
    expect(await failure(getUser(session.accessToken))).toEqual(accessRevoked);
    expect(
      await failure(
        h.client.send(
          new UpdateUserAttributesCommand({
            AccessToken: session.accessToken,
            UserAttributes: [{ Name: "given_name", Value: "Mallory" }],
          }),
        ),
      ),
    ).toEqual(accessRevoked);
    // Another sign-in of the same user is a separate session and keeps working.
    expect((await getUser(other.accessToken)).Username).toBeTruthy();
    expect(
      (await refresh(h.client, testClientId, other.refreshToken)).AuthenticationResult,
    ).toBeTruthy();
  });

  it("RevokeToken is idempotent, and refuses a refresh token of another client", async () => {
    const email = uniqueEmail("revoke");
    await signUpAndConfirm(h, email);
    const session = await passwordSession(email);
    const revoke = (clientId: string) =>
      h.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: session.refreshToken }));
    expect((await failure(revoke(h.pool.userPoolClientId))).name).toBe("UnauthorizedException");
    await revoke(testClientId);
    await revoke(testClientId);
    expect(await failure(refresh(h.client, testClientId, session.refreshToken))).toEqual(revoked);
    await h.client.send(new RevokeTokenCommand({ ClientId: testClientId, Token: "not-a-token" }));
  });

  it("GlobalSignOut (Amplify signOut({ global: true })) ends every session of the user", async () => {
    const email = uniqueEmail("global");
    await signUpAndConfirm(h, email);
    const other = await passwordSession(email);
    const session = await srpSignInSession(email, PASSWORD);
    const bystander = uniqueEmail("bystander");
    await signUpAndConfirm(h, bystander);
    const unrelated = await passwordSession(bystander);

    await signOut({ global: true });

    for (const [clientId, tokens] of [
      [h.pool.userPoolClientId, session],
      [testClientId, other],
    ] as const) {
      expect(await failure(refresh(h.client, clientId, tokens.refreshToken))).toEqual(revoked);
      expect(await failure(getUser(tokens.accessToken))).toEqual(accessRevoked);
    }
    expect(
      await failure(h.client.send(new GlobalSignOutCommand({ AccessToken: other.accessToken }))),
    ).toEqual(accessRevoked);
    expect((await getUser(unrelated.accessToken)).Username).toBeTruthy();
    // Signing in again starts a fresh session.
    const again = await passwordSession(email);
    expect((await getUser(again.accessToken)).Username).toBeTruthy();
  });

  it("AdminUserGlobalSignOut ends every session, naming the user by email in any case", async () => {
    const email = uniqueEmail("admin-global");
    await signUpAndConfirm(h, email);
    const session = await passwordSession(email);
    await h.client.send(
      new AdminUserGlobalSignOutCommand({
        UserPoolId: h.pool.userPoolId,
        Username: email.toUpperCase(),
      }),
    );
    expect(await failure(refresh(h.client, testClientId, session.refreshToken))).toEqual(revoked);
    expect(await failure(getUser(session.accessToken))).toEqual(accessRevoked);
    const unknown = await failure(
      h.client.send(
        new AdminUserGlobalSignOutCommand({
          UserPoolId: h.pool.userPoolId,
          Username: uniqueEmail("nobody"),
        }),
      ),
    );
    expect(unknown.name).toBe("UserNotFoundException");
  });

  it("revocations survive a restart of the pool", async () => {
    const email = uniqueEmail("persist");
    await signUpAndConfirm(h, email);
    const ended = await passwordSession(email);
    const live = await passwordSession(email);
    await h.client.send(
      new RevokeTokenCommand({ ClientId: testClientId, Token: ended.refreshToken }),
    );

    await h.restart();

    expect(await failure(refresh(h.client, testClientId, ended.refreshToken))).toEqual(revoked);
    expect(await failure(getUser(ended.accessToken))).toEqual(accessRevoked);
    expect(
      (await refresh(h.client, testClientId, live.refreshToken)).AuthenticationResult,
    ).toBeTruthy();
    expect((await getUser(live.accessToken)).Username).toBeTruthy();
  });
});

describe("token lifetimes by the pool's clock", () => {
  it("an access token expires after an hour, a refresh token after 30 days", async () => {
    const email = uniqueEmail("lifetime");
    await signUpAndConfirm(h, email);
    const session = await passwordSession(email);
    h.clock.advance(3601);
    expect(await failure(getUser(session.accessToken))).toEqual({
      name: "NotAuthorizedException",
      message: "Access Token has expired",
    });
    const { AuthenticationResult } = await refresh(h.client, testClientId, session.refreshToken);
    expect((await getUser(AuthenticationResult?.AccessToken as string)).Username).toBeTruthy();

    h.clock.advance(30 * 86_400);
    expect(await failure(refresh(h.client, testClientId, session.refreshToken))).toEqual({
      name: "NotAuthorizedException",
      message: "Refresh Token has expired",
    });
  });

  it("refuses an access token the pool did not sign", async () => {
    const email = uniqueEmail("forged");
    await signUpAndConfirm(h, email);
    const { accessToken } = await passwordSession(email);
    const [header, payload] = accessToken.split(".");
    expect(await failure(getUser(`${header}.${payload}.${"A".repeat(342)}`))).toEqual({
      name: "NotAuthorizedException",
      message: "Invalid Access Token",
    });
  });
});

describe("AdminInitiateAuth checks the client's allowed flows", () => {
  const adminSignIn = (clientId: string, email: string) =>
    h.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: h.pool.userPoolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: email, PASSWORD },
      }),
    );

  it("refuses ADMIN_USER_PASSWORD_AUTH on the web client, which does not allow it", async () => {
    const email = uniqueEmail("admin-flow");
    await signUpAndConfirm(h, email);
    expect(await failure(adminSignIn(h.pool.userPoolClientId, email))).toEqual({
      name: "InvalidParameterException",
      message: "Auth flow not enabled for this client",
    });
    const { AuthenticationResult } = await adminSignIn(testClientId, email);
    expect(decodeJwt(AuthenticationResult?.IdToken as string).email).toBe(email);
    const renewed = await h.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: h.pool.userPoolId,
        ClientId: testClientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: AuthenticationResult?.RefreshToken as string },
      }),
    );
    expect(renewed.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
