import {
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Secret, TOTP } from "otpauth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  failure,
  type Harness,
  PASSWORD,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";
import { passwordTokens, respond, startSignInHarness, userAuth } from "./sign-in-harness";

let h: Harness;

beforeAll(async () => {
  h = await startSignInHarness();
});

afterEach(() => {
  h.clock.reset();
});

afterAll(async () => {
  await h?.stop();
});

/** What an authenticator app shows for this secret at the pool's time, `steps` periods away. */
const codeAt = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: h.clock.now().getTime() + steps * 30_000,
  });

const associate = async (AccessToken: string) =>
  (await h.client.send(new AssociateSoftwareTokenCommand({ AccessToken }))).SecretCode as string;

const verify = (AccessToken: string, UserCode: string) =>
  h.client.send(
    new VerifySoftwareTokenCommand({ AccessToken, UserCode, FriendlyDeviceName: "Phone" }),
  );

/** A user with TOTP MFA on; the clock moved past the step of the code that turned it on. */
async function userWithTotp(prefix: string) {
  const email = uniqueEmail(prefix);
  await signUpAndConfirm(h, email);
  const { AccessToken } = await passwordTokens(h, email);
  const secret = await associate(AccessToken);
  expect(await verify(AccessToken, codeAt(secret))).toMatchObject({ Status: "SUCCESS" });
  h.clock.advance(30);
  return { email, secret, AccessToken };
}

const srpLessPasswordChallenge = (email: string) =>
  userAuth(h, email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });

describe("TOTP MFA (an authenticator app)", () => {
  it("refuses a wrong first code, and turns MFA on with the right one", async () => {
    const email = uniqueEmail("totp-setup");
    await signUpAndConfirm(h, email);
    const { AccessToken } = await passwordTokens(h, email);
    const secret = await associate(AccessToken);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await failure(verify(AccessToken, codeAt(secret, 5)))).toEqual({
      name: "EnableSoftwareTokenMFAException",
      message: "Code mismatch and fail enable Software Token MFA",
    });
    expect(
      (await h.client.send(new GetUserCommand({ AccessToken }))).UserMFASettingList,
    ).toBeUndefined();
    await verify(AccessToken, codeAt(secret));
    expect(await h.client.send(new GetUserCommand({ AccessToken }))).toMatchObject({
      UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
      PreferredMfaSetting: "SOFTWARE_TOKEN_MFA",
    });
  });

  it("asks for the code after the password, and signs in with it", async () => {
    const { email, secret } = await userWithTotp("totp-sign-in");
    const started = await srpLessPasswordChallenge(email);
    expect(started.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    expect(started.ChallengeParameters).toEqual({ FRIENDLY_DEVICE_NAME: "Phone" });
    expect(
      await failure(
        respond(h, "SOFTWARE_TOKEN_MFA", started.Session, {
          USERNAME: email,
          SOFTWARE_TOKEN_MFA_CODE: codeAt(secret, 3),
        }),
      ),
    ).toEqual({ name: "CodeMismatchException", message: "Invalid code received for user" });
    const result = await respond(h, "SOFTWARE_TOKEN_MFA", started.Session, {
      USERNAME: email,
      SOFTWARE_TOKEN_MFA_CODE: codeAt(secret),
    });
    expect(result.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("applies to the SRP flow and leaves passwordless factors out for this user", async () => {
    const { email } = await userWithTotp("totp-srp");
    const started = await userAuth(h, email);
    expect(started.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP"]);
  });

  it("accepts the previous step's code, not older ones, and a code only once", async () => {
    const { email, secret } = await userWithTotp("totp-window");
    // One step further, so that the previous step is not the one whose code turned MFA on.
    h.clock.advance(30);
    const previous = codeAt(secret, -1);
    const tooOld = codeAt(secret, -2);
    const first = await srpLessPasswordChallenge(email);
    expect(
      (
        await failure(
          respond(h, "SOFTWARE_TOKEN_MFA", first.Session, {
            USERNAME: email,
            SOFTWARE_TOKEN_MFA_CODE: tooOld,
          }),
        )
      ).name,
    ).toBe("CodeMismatchException");
    await respond(h, "SOFTWARE_TOKEN_MFA", first.Session, {
      USERNAME: email,
      SOFTWARE_TOKEN_MFA_CODE: previous,
    });
    const again = await srpLessPasswordChallenge(email);
    expect(
      (
        await failure(
          respond(h, "SOFTWARE_TOKEN_MFA", again.Session, {
            USERNAME: email,
            SOFTWARE_TOKEN_MFA_CODE: previous,
          }),
        )
      ).name,
    ).toBe("CodeMismatchException");
  });

  it("keeps the first device when a second one starts enrolling, until the second is verified", async () => {
    const { email, secret: first, AccessToken } = await userWithTotp("totp-second");
    const second = await associate(AccessToken);
    expect(second).not.toBe(first);
    const started = await srpLessPasswordChallenge(email);
    expect(
      (
        await failure(
          respond(h, "SOFTWARE_TOKEN_MFA", started.Session, {
            USERNAME: email,
            SOFTWARE_TOKEN_MFA_CODE: codeAt(second),
          }),
        )
      ).name,
    ).toBe("CodeMismatchException");
    await respond(h, "SOFTWARE_TOKEN_MFA", started.Session, {
      USERNAME: email,
      SOFTWARE_TOKEN_MFA_CODE: codeAt(first),
    });
    h.clock.advance(30);
    expect((await failure(verify(AccessToken, codeAt(first)))).name).toBe(
      "EnableSoftwareTokenMFAException",
    );
    await verify(AccessToken, codeAt(second));
    h.clock.advance(30);
    const next = await srpLessPasswordChallenge(email);
    expect(
      (
        await failure(
          respond(h, "SOFTWARE_TOKEN_MFA", next.Session, {
            USERNAME: email,
            SOFTWARE_TOKEN_MFA_CODE: codeAt(first),
          }),
        )
      ).name,
    ).toBe("CodeMismatchException");
  });

  it("turns off with SetUserMFAPreference: the password alone signs in again", async () => {
    const { email, AccessToken } = await userWithTotp("totp-off");
    await h.client.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
      }),
    );
    expect((await srpLessPasswordChallenge(email)).AuthenticationResult).toBeDefined();
    expect(
      (await h.client.send(new GetUserCommand({ AccessToken }))).UserMFASettingList,
    ).toBeUndefined();
  });

  it("can't be turned on before a token is verified", async () => {
    const email = uniqueEmail("totp-unverified");
    await signUpAndConfirm(h, email);
    const { AccessToken } = await passwordTokens(h, email);
    await associate(AccessToken);
    expect(
      await failure(
        h.client.send(
          new SetUserMFAPreferenceCommand({
            AccessToken,
            SoftwareTokenMfaSettings: { Enabled: true },
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "User has not verified software token mfa",
    });
    expect((await srpLessPasswordChallenge(email)).AuthenticationResult).toBeDefined();
  });

  it("is refused by a pool without software-token MFA", async () => {
    const plain = await startHarness({
      spec: (spec) => ({
        ...spec,
        clients: spec.clients.map((c) => ({
          ...c,
          explicitAuthFlows: [...c.explicitAuthFlows, "ALLOW_USER_PASSWORD_AUTH"],
        })),
      }),
    });
    try {
      const email = uniqueEmail("totp-off-pool");
      await signUpAndConfirm(plain, email);
      const signedIn = await plain.client.send(
        new InitiateAuthCommand({
          ClientId: plain.pool.userPoolClientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: email, PASSWORD },
        }),
      );
      const AccessToken = signedIn.AuthenticationResult?.AccessToken as string;
      expect(
        await failure(plain.client.send(new AssociateSoftwareTokenCommand({ AccessToken }))),
      ).toEqual({
        name: "SoftwareTokenMFANotFoundException",
        message: "Software Token MFA has not been enabled by the userPool.",
      });
    } finally {
      await plain.stop();
    }
  });
});
