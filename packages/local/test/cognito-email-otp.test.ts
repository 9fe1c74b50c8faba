import { ForgotPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { failure, type Harness, signUpAndConfirm, uniqueEmail, wrongCode } from "./cognito-harness";
import { respond, startSignInHarness, userAuth } from "./sign-in-harness";

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

const signInCode = (email: string) => {
  const code = h.mailbox.latest(email, "sign-in")?.code;
  if (!code) throw new Error(`No sign-in code for ${email}`);
  return code;
};

async function emailChallenge(email: string) {
  const started = await userAuth(h, email, { PREFERRED_CHALLENGE: "EMAIL_OTP" });
  expect(started.ChallengeName).toBe("EMAIL_OTP");
  return started;
}

describe("EMAIL_OTP: a sign-in code by email", () => {
  it("sends an eight-digit code to the mailbox, masked in the answer, and signs in with it", async () => {
    const email = uniqueEmail("otp");
    await signUpAndConfirm(h, email);
    const started = await emailChallenge(email);
    expect(started.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
      CODE_DELIVERY_DESTINATION: "o***@e***",
    });
    const code = signInCode(email);
    expect(code).toMatch(/^[0-9]{8}$/);
    const result = await respond(h, "EMAIL_OTP", started.Session, {
      USERNAME: email,
      EMAIL_OTP_CODE: code,
    });
    expect(result.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("is chosen from SELECT_CHALLENGE too", async () => {
    const email = uniqueEmail("otp-select");
    await signUpAndConfirm(h, email);
    const started = await userAuth(h, email);
    const chosen = await respond(h, "SELECT_CHALLENGE", started.Session, {
      USERNAME: email,
      ANSWER: "EMAIL_OTP",
    });
    expect(chosen.ChallengeName).toBe("EMAIL_OTP");
    const result = await respond(h, "EMAIL_OTP", chosen.Session, {
      USERNAME: email,
      EMAIL_OTP_CODE: signInCode(email),
    });
    expect(result.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it("refuses a wrong code, then takes the right one in the same session", async () => {
    const email = uniqueEmail("otp-wrong");
    await signUpAndConfirm(h, email);
    const started = await emailChallenge(email);
    const code = signInCode(email);
    expect(
      await failure(
        respond(h, "EMAIL_OTP", started.Session, {
          USERNAME: email,
          EMAIL_OTP_CODE: wrongCode(code),
        }),
      ),
    ).toEqual({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    const result = await respond(h, "EMAIL_OTP", started.Session, {
      USERNAME: email,
      EMAIL_OTP_CODE: code,
    });
    expect(result.AuthenticationResult).toBeDefined();
  });

  it("expires with the 3-minute sign-in session", async () => {
    const email = uniqueEmail("otp-expired");
    await signUpAndConfirm(h, email);
    const started = await emailChallenge(email);
    h.clock.advance(3 * 60 + 1);
    expect(
      await failure(
        respond(h, "EMAIL_OTP", started.Session, {
          USERNAME: email,
          EMAIL_OTP_CODE: signInCode(email),
        }),
      ),
    ).toMatchObject({ name: "NotAuthorizedException" });
  });

  it("works once, and a newer code replaces the older one", async () => {
    const email = uniqueEmail("otp-once");
    await signUpAndConfirm(h, email);
    const first = await emailChallenge(email);
    const firstCode = signInCode(email);
    const second = await emailChallenge(email);
    const secondCode = signInCode(email);
    expect(
      (
        await failure(
          respond(h, "EMAIL_OTP", first.Session, { USERNAME: email, EMAIL_OTP_CODE: firstCode }),
        )
      ).name,
    ).toMatch(/CodeMismatchException|ExpiredCodeException/);
    await respond(h, "EMAIL_OTP", second.Session, { USERNAME: email, EMAIL_OTP_CODE: secondCode });
    const third = await emailChallenge(email);
    expect(
      (
        await failure(
          respond(h, "EMAIL_OTP", third.Session, { USERNAME: email, EMAIL_OTP_CODE: secondCode }),
        )
      ).name,
    ).toBe("CodeMismatchException");
  });

  it("never takes a code sent for another purpose", async () => {
    const email = uniqueEmail("otp-purpose");
    await signUpAndConfirm(h, email);
    await h.client.send(
      new ForgotPasswordCommand({ ClientId: h.pool.userPoolClientId, Username: email }),
    );
    const resetCode = h.mailbox.latest(email, "forgot-password")?.code as string;
    const started = await emailChallenge(email);
    // Pad the six-digit reset code as a user might; it must still not sign in.
    for (const attempt of [resetCode, resetCode.padStart(8, "0")]) {
      expect(
        (
          await failure(
            respond(h, "EMAIL_OTP", started.Session, { USERNAME: email, EMAIL_OTP_CODE: attempt }),
          )
        ).name,
      ).toBe("CodeMismatchException");
    }
  });

  it("stops after five wrong codes in an hour (LimitExceededException)", async () => {
    const email = uniqueEmail("otp-limit");
    await signUpAndConfirm(h, email);
    const started = await emailChallenge(email);
    const code = signInCode(email);
    for (let i = 0; i < 5; i += 1) {
      await failure(
        respond(h, "EMAIL_OTP", started.Session, {
          USERNAME: email,
          EMAIL_OTP_CODE: wrongCode(code),
        }),
      );
    }
    expect(
      await failure(
        respond(h, "EMAIL_OTP", started.Session, { USERNAME: email, EMAIL_OTP_CODE: code }),
      ),
    ).toEqual({
      name: "LimitExceededException",
      message: "Attempt limit exceeded, please try after some time.",
    });
  });

  it("sends nothing for an unknown name, and refuses every code", async () => {
    const nobody = uniqueEmail("otp-nobody");
    const started = await emailChallenge(nobody);
    expect(h.mailbox.messagesFor(nobody)).toEqual([]);
    expect(
      (
        await failure(
          respond(h, "EMAIL_OTP", started.Session, {
            USERNAME: nobody,
            EMAIL_OTP_CODE: "12345678",
          }),
        )
      ).name,
    ).toBe("CodeMismatchException");
  });
});
