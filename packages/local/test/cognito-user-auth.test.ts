import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import { autoSignIn, confirmSignUp, signIn, signOut, signUp } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  failure,
  type Harness,
  latestCode,
  PASSWORD,
  signUp as sdkSignUp,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";
import { respond, signInMethods, startSignInHarness, userAuth } from "./sign-in-harness";

let h: Harness;
const storage = new Map<string, string>();

beforeAll(async () => {
  h = await startSignInHarness();
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

afterAll(async () => {
  await signOut();
  await h?.stop();
});

describe("USER_AUTH: choice-based sign-in", () => {
  it("answers SELECT_CHALLENGE with what the policy allows and the user has", async () => {
    const email = uniqueEmail("select");
    await signUpAndConfirm(h, email);
    const started = await userAuth(h, email);
    expect(started.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(started.Session).toBeTruthy();
    // No passkey registered yet: WEB_AUTHN is allowed by the pool but not available to this user.
    expect(started.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);

    const chosen = await respond(h, "SELECT_CHALLENGE", started.Session, {
      USERNAME: email,
      ANSWER: "PASSWORD",
      PASSWORD,
    });
    expect(chosen.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("starts the preferred challenge directly, and a wrong password still fails", async () => {
    const email = uniqueEmail("preferred");
    await signUpAndConfirm(h, email);
    const signedIn = await userAuth(h, email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
    expect(signedIn.AuthenticationResult?.IdToken).toBeTruthy();
    expect(
      await failure(
        userAuth(h, email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: "Wr0ng-pass!" }),
      ),
    ).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  it("falls back to SELECT_CHALLENGE when the user can't use the preferred one", async () => {
    const email = uniqueEmail("no-passkey");
    await signUpAndConfirm(h, email);
    const started = await userAuth(h, email, { PREFERRED_CHALLENGE: "WEB_AUTHN" });
    expect(started.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(started.AvailableChallenges).not.toContain("WEB_AUTHN");
    expect(
      await failure(
        respond(h, "SELECT_CHALLENGE", started.Session, { USERNAME: email, ANSWER: "WEB_AUTHN" }),
      ),
    ).toMatchObject({ name: "InvalidParameterException" });
  });

  it("signs in with PASSWORD_SRP through Amplify's USER_AUTH client", async () => {
    const email = uniqueEmail("amplify-srp");
    await signUpAndConfirm(h, email);
    const result = await signIn({
      username: email,
      password: PASSWORD,
      options: { authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD_SRP" },
    });
    expect(result).toMatchObject({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
    await signOut();
  });

  it("uses a session once", async () => {
    const email = uniqueEmail("session-once");
    await signUpAndConfirm(h, email);
    const started = await userAuth(h, email);
    const answer = { USERNAME: email, ANSWER: "PASSWORD", PASSWORD };
    await respond(h, "SELECT_CHALLENGE", started.Session, answer);
    expect(await failure(respond(h, "SELECT_CHALLENGE", started.Session, answer))).toMatchObject({
      name: "NotAuthorizedException",
    });
  });

  it("tells an unconfirmed user so, and answers an unknown name like a real one", async () => {
    const email = uniqueEmail("unconfirmed");
    await sdkSignUp(h, email);
    expect((await failure(userAuth(h, email))).name).toBe("UserNotConfirmedException");
    const unknown = await userAuth(h, uniqueEmail("nobody"));
    expect(unknown.ChallengeName).toBe("SELECT_CHALLENGE");
    expect(unknown.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
  });
});

describe("signing in right after sign-up (ConfirmSignUp's Session)", () => {
  it("gives tokens once for the confirmed user, with Amplify's autoSignIn", async () => {
    const email = uniqueEmail("auto");
    await signUp({
      username: email,
      password: PASSWORD,
      options: { userAttributes: {}, autoSignIn: { authFlowType: "USER_AUTH" } },
    });
    const confirmed = await confirmSignUp({
      username: email,
      confirmationCode: latestCode(h.mailbox, email),
    });
    expect(confirmed.nextStep.signUpStep).toBe("COMPLETE_AUTO_SIGN_IN");
    expect(await autoSignIn()).toMatchObject({ isSignedIn: true });
    await signOut();
  });

  it("refuses the session a second time, and for another user", async () => {
    const email = uniqueEmail("auto-sdk");
    await sdkSignUp(h, email);
    const { Session } = await h.client.send(
      new ConfirmSignUpCommand({
        ClientId: h.pool.userPoolClientId,
        Username: email,
        ConfirmationCode: latestCode(h.mailbox, email),
      }),
    );
    expect(Session).toBeTruthy();
    const other = uniqueEmail("other");
    await signUpAndConfirm(h, other);
    const withSession = (username: string) =>
      h.client.send(
        new InitiateAuthCommand({
          ClientId: h.pool.userPoolClientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: username },
          Session,
        }),
      );
    expect((await failure(withSession(other))).name).toBe("NotAuthorizedException");
    // The failed try used the session up as well: a session answers once.
    expect((await failure(withSession(email))).name).toBe("NotAuthorizedException");
  });

  it("signs the new user in with the session", async () => {
    const email = uniqueEmail("auto-ok");
    await sdkSignUp(h, email);
    const { Session } = await h.client.send(
      new ConfirmSignUpCommand({
        ClientId: h.pool.userPoolClientId,
        Username: email,
        ConfirmationCode: latestCode(h.mailbox, email),
      }),
    );
    const result = await h.client.send(
      new InitiateAuthCommand({
        ClientId: h.pool.userPoolClientId,
        AuthFlow: "USER_AUTH",
        AuthParameters: { USERNAME: email },
        Session,
      }),
    );
    expect(result.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("pools and clients that don't allow a factor", () => {
  it("refuses USER_AUTH on a client without ALLOW_USER_AUTH", async () => {
    const plain = await startHarness();
    try {
      expect(
        await failure(
          plain.client.send(
            new InitiateAuthCommand({
              ClientId: plain.pool.userPoolClientId,
              AuthFlow: "USER_AUTH",
              AuthParameters: { USERNAME: uniqueEmail() },
            }),
          ),
        ),
      ).toEqual({
        name: "InvalidParameterException",
        message: "USER_AUTH flow not enabled for this client",
      });
    } finally {
      await plain.stop();
    }
  });

  it("offers only passwords where the policy has PASSWORD alone, and refuses passwordless on Lite", async () => {
    const lite = await startHarness({
      spec: (spec) => ({
        ...signInMethods(spec),
        userPoolTier: "LITE",
        allowedFirstAuthFactors: ["PASSWORD"],
      }),
    });
    try {
      const email = uniqueEmail("lite");
      await signUpAndConfirm(lite, email);
      const started = await userAuth(lite, email);
      expect(started.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
      expect(
        await failure(
          respond(lite, "SELECT_CHALLENGE", started.Session, {
            USERNAME: email,
            ANSWER: "EMAIL_OTP",
          }),
        ),
      ).toEqual({
        name: "FeatureUnavailableInTierException",
        message: "This feature is not available in the LITE tier of your user pool.",
      });
      expect(lite.mailbox.messagesFor(email).filter((m) => m.kind === "sign-in")).toEqual([]);
    } finally {
      await lite.stop();
    }
  });
});
