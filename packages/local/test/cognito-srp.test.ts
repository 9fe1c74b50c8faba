import {
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import {
  confirmSignUp,
  fetchAuthSession,
  getCurrentUser,
  resendSignUpCode,
  signIn,
  signOut,
  signUp,
} from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  failure,
  type Harness,
  latestCode,
  PASSWORD,
  REGION,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

let h: Harness;
const storage = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness();
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: h.pool.userPoolId,
        userPoolClientId: h.pool.userPoolClientId,
        userPoolEndpoint: h.pool.endpoint,
        loginWith: { email: true },
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (key, value) => void storage.set(key, value),
    getItem: async (key) => storage.get(key) ?? null,
    removeItem: async (key) => void storage.delete(key),
    clear: async () => storage.clear(),
  });
});

afterEach(async () => {
  await signOut();
});

afterAll(async () => {
  await h?.stop();
});

describe("USER_SRP_AUTH, with Amplify v6 as the client", () => {
  it("signs in with Amplify's default flow and issues tokens the pool's JWKS verifies", async () => {
    const email = uniqueEmail("srp");
    await signUpAndConfirm(h, email, { given_name: "Ada" });

    const started = performance.now();
    const result = await signIn({ username: email, password: PASSWORD });
    const elapsed = performance.now() - started;
    expect(result.isSignedIn).toBe(true);
    expect(result.nextStep.signInStep).toBe("DONE");
    h.logs.push(`measure: Amplify SRP signIn ${elapsed.toFixed(1)} ms`);

    const session = await fetchAuthSession();
    const idToken = session.tokens?.idToken?.toString();
    const accessToken = session.tokens?.accessToken?.toString();
    expect(idToken).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(h.pool.jwksUrl));
    const { payload: id } = await jwtVerify(idToken ?? "", jwks, {
      issuer: h.pool.issuer,
      audience: h.pool.userPoolClientId,
    });
    expect(id).toMatchObject({
      token_use: "id",
      email,
      email_verified: true,
      given_name: "Ada",
    });
    const { payload: access } = await jwtVerify(accessToken ?? "", jwks, {
      issuer: h.pool.issuer,
    });
    expect(access).toMatchObject({ token_use: "access", client_id: h.pool.userPoolClientId });
    expect(h.pool.issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${h.pool.userPoolId}`);
    expect((await getCurrentUser()).signInDetails?.loginId).toBe(email);
  });

  it("rejects a wrong password with NotAuthorizedException", async () => {
    const email = uniqueEmail("srp-wrong");
    await signUpAndConfirm(h, email);
    const error = await failure(signIn({ username: email, password: `${PASSWORD}x` }));
    expect(error).toEqual({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("answers an unknown user like a wrong password (PreventUserExistenceErrors)", async () => {
    const error = await failure(signIn({ username: uniqueEmail("nobody"), password: PASSWORD }));
    expect(error.name).toBe("NotAuthorizedException");
  });

  it("tells an unconfirmed user to confirm, whatever the password (Cognito checks that first)", async () => {
    const email = uniqueEmail("srp-unconfirmed");
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
    const right = await signIn({ username: email, password: PASSWORD });
    expect(right.nextStep.signInStep).toBe("CONFIRM_SIGN_UP");
    const wrong = await signIn({ username: email, password: `${PASSWORD}-wrong` });
    expect(wrong.nextStep.signInStep).toBe("CONFIRM_SIGN_UP");
  });

  it("lets Amplify resend the sign-up code, confirm with it, then sign in", async () => {
    const email = uniqueEmail("resend");
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
    const first = latestCode(h.mailbox, email);
    await resendSignUpCode({ username: email });
    const kinds = h.mailbox.messagesFor(email).map((message) => message.kind);
    expect(kinds).toEqual(["signup", "resend"]);
    const resent = latestCode(h.mailbox, email);
    if (first !== resent) {
      expect(
        (await failure(confirmSignUp({ username: email, confirmationCode: first }))).name,
      ).toBe("CodeMismatchException");
    }
    const confirmed = await confirmSignUp({ username: email, confirmationCode: resent });
    expect(confirmed.isSignUpComplete).toBe(true);
    expect((await signIn({ username: email, password: PASSWORD })).isSignedIn).toBe(true);
  });

  it("refreshes tokens the way Amplify does (GetTokensFromRefreshToken)", async () => {
    const email = uniqueEmail("refresh");
    await signUpAndConfirm(h, email);
    await signIn({ username: email, password: PASSWORD });
    const before = (await fetchAuthSession()).tokens?.accessToken.payload.jti;
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    expect(refreshed.tokens?.accessToken.payload.jti).toBeTruthy();
    expect(refreshed.tokens?.accessToken.payload.jti).not.toBe(before);
    expect(refreshed.tokens?.idToken?.payload.email).toBe(email);
  });
});

describe("the web client's allowed flows", () => {
  it("refuses USER_PASSWORD_AUTH, which the web client does not allow", async () => {
    const email = uniqueEmail("flows");
    await signUpAndConfirm(h, email);
    const error = await failure(
      h.client.send(
        new InitiateAuthCommand({
          ClientId: h.pool.userPoolClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD },
        }),
      ),
    );
    expect(error).toEqual({
      name: "InvalidParameterException",
      message: "USER_PASSWORD_AUTH flow not enabled for this client",
    });
  });

  it("serves GetTokensFromRefreshToken and REFRESH_TOKEN_AUTH, and rejects an unknown token", async () => {
    const email = uniqueEmail("refresh-sdk");
    await signUpAndConfirm(h, email);
    await signIn({ username: email, password: PASSWORD });
    const refreshToken = fetchAuthSessionRefreshToken() ?? "";
    expect(refreshToken).toBeTruthy();

    const viaNewApi = await h.client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: h.pool.userPoolClientId,
        RefreshToken: refreshToken,
      }),
    );
    expect(viaNewApi.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
    expect(viaNewApi.AuthenticationResult?.AccessToken).toBeTruthy();

    const viaFlow = await h.client.send(
      new InitiateAuthCommand({
        ClientId: h.pool.userPoolClientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(viaFlow.AuthenticationResult?.IdToken).toBeTruthy();

    const error = await failure(
      h.client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: h.pool.userPoolClientId,
          RefreshToken: "not-a-token",
        }),
      ),
    );
    expect(error.name).toBe("NotAuthorizedException");
  });
});

/** Amplify's token store, readable so a test can hand the refresh token to the SDK. */
function fetchAuthSessionRefreshToken() {
  for (const [key, value] of storage) if (key.endsWith(".refreshToken")) return value;
  return undefined;
}
