import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MailKind } from "../src/mailbox";
import {
  failure,
  type Harness,
  signUp,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
  wrongCode,
} from "./cognito-harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterEach(() => {
  h.clock.reset();
});

afterAll(async () => {
  await h?.stop();
});

const HOUR = 3600;
const expired = {
  name: "ExpiredCodeException",
  message: "Invalid code provided, please request a code again.",
};
const mismatch = {
  name: "CodeMismatchException",
  message: "Invalid verification code provided, please try again.",
};
const limited = {
  name: "LimitExceededException",
  message: "Attempt limit exceeded, please try after some time.",
};

const code = (email: string, kind: MailKind) => {
  const message = h.mailbox.latest(email, kind);
  if (!message) throw new Error(`No ${kind} code for ${email}`);
  return message.code;
};

const confirmSignUp = (email: string, confirmationCode: string) =>
  h.client.send(
    new ConfirmSignUpCommand({
      ClientId: h.pool.userPoolClientId,
      Username: email,
      ConfirmationCode: confirmationCode,
    }),
  );
const resend = (email: string) =>
  h.client.send(
    new ResendConfirmationCodeCommand({ ClientId: h.pool.userPoolClientId, Username: email }),
  );
const forgotPassword = (email: string) =>
  h.client.send(new ForgotPasswordCommand({ ClientId: h.pool.userPoolClientId, Username: email }));
const confirmForgotPassword = (email: string, confirmationCode: string) =>
  h.client.send(
    new ConfirmForgotPasswordCommand({
      ClientId: h.pool.userPoolClientId,
      Username: email,
      ConfirmationCode: confirmationCode,
      Password: "Brand-New-Secret-7",
    }),
  );
const status = async (email: string) =>
  (await h.client.send(new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: email })))
    .UserStatus;
const triggersFor = (sub: string | undefined) =>
  h.lambda.invocations.filter((invocation) => invocation.event.userName === sub);

describe("codes expire", () => {
  it("a sign-up code works for 24 hours, then ExpiredCodeException; a resent code confirms", async () => {
    const early = uniqueEmail("signup-in-time");
    await signUp(h, early);
    const late = uniqueEmail("signup-late");
    await signUp(h, late);

    h.clock.advance(24 * HOUR - 60);
    await confirmSignUp(early, code(early, "signup"));
    expect(await status(early)).toBe("CONFIRMED");

    h.clock.advance(61);
    expect(await failure(confirmSignUp(late, code(late, "signup")))).toEqual(expired);
    expect(await status(late)).toBe("UNCONFIRMED");
    await resend(late);
    await confirmSignUp(late, code(late, "resend"));
    expect(await status(late)).toBe("CONFIRMED");
  });

  it("a password-reset code works for 1 hour, then ExpiredCodeException; a new one works", async () => {
    const email = uniqueEmail("reset-late");
    await signUpAndConfirm(h, email);
    await forgotPassword(email);
    h.clock.advance(HOUR + 1);
    expect(await failure(confirmForgotPassword(email, code(email, "forgot-password")))).toEqual(
      expired,
    );
    await forgotPassword(email);
    h.clock.advance(HOUR - 60);
    await confirmForgotPassword(email, code(email, "forgot-password"));
  });

  it("a reset code that was never requested, or was used, gets ExpiredCodeException", async () => {
    const email = uniqueEmail("reset-unrequested");
    await signUpAndConfirm(h, email);
    expect(await failure(confirmForgotPassword(email, "123456"))).toEqual(expired);
    await forgotPassword(email);
    const reset = code(email, "forgot-password");
    await confirmForgotPassword(email, reset);
    expect(await failure(confirmForgotPassword(email, reset))).toEqual(expired);
  });
});

describe("a new code replaces the previous one", () => {
  it("for sign-up (ResendConfirmationCode)", async () => {
    const email = uniqueEmail("resend-replaces");
    await signUp(h, email);
    const first = code(email, "signup");
    await resend(email);
    const second = code(email, "resend");
    if (first !== second) expect(await failure(confirmSignUp(email, first))).toEqual(mismatch);
    await confirmSignUp(email, second);
  });

  it("for a password reset", async () => {
    const email = uniqueEmail("reset-replaces");
    await signUpAndConfirm(h, email);
    await forgotPassword(email);
    const first = code(email, "forgot-password");
    await forgotPassword(email);
    const second = code(email, "forgot-password");
    if (first !== second) {
      expect(await failure(confirmForgotPassword(email, first))).toEqual(mismatch);
    }
    await confirmForgotPassword(email, second);
  });
});

describe("attempt limits (5 an hour per user and purpose)", () => {
  it("after 5 wrong sign-up codes even the right one gets LimitExceededException, until the hour has passed", async () => {
    const email = uniqueEmail("wrong-signup");
    await signUp(h, email);
    const right = code(email, "signup");
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await failure(confirmSignUp(email, wrongCode(right)))).toEqual(mismatch);
    }
    expect(await failure(confirmSignUp(email, right))).toEqual(limited);
    expect(await status(email)).toBe("UNCONFIRMED");
    h.clock.advance(HOUR + 1);
    await confirmSignUp(email, right);
    expect(await status(email)).toBe("CONFIRMED");
  });

  it("after 5 wrong reset codes ConfirmForgotPassword gets LimitExceededException", async () => {
    const email = uniqueEmail("wrong-reset");
    await signUpAndConfirm(h, email);
    await forgotPassword(email);
    const right = code(email, "forgot-password");
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await failure(confirmForgotPassword(email, wrongCode(right)))).toEqual(mismatch);
    }
    expect(await failure(confirmForgotPassword(email, right))).toEqual(limited);
  });

  it("the 6th sign-up code within an hour is refused (the sign-up email counts)", async () => {
    const email = uniqueEmail("resend-limit");
    await signUp(h, email);
    for (let resent = 1; resent <= 4; resent++) await resend(email);
    expect(await failure(resend(email))).toEqual(limited);
    expect(h.mailbox.messagesFor(email)).toHaveLength(5);
    h.clock.advance(HOUR + 1);
    await resend(email);
    expect(h.mailbox.messagesFor(email)).toHaveLength(6);
  });

  it("the 6th reset code within an hour is refused", async () => {
    const email = uniqueEmail("forgot-limit");
    await signUpAndConfirm(h, email);
    for (let sent = 1; sent <= 5; sent++) await forgotPassword(email);
    expect(await failure(forgotPassword(email))).toEqual(limited);
    expect(h.mailbox.messagesFor(email).filter((m) => m.kind === "forgot-password")).toHaveLength(
      5,
    );
    // The limit stops new codes, not the one already sent.
    await confirmForgotPassword(email, code(email, "forgot-password"));
  });
});

describe("codes are per purpose", () => {
  it("a sign-up code never completes ConfirmForgotPassword", async () => {
    const email = uniqueEmail("signup-as-reset");
    const { UserSub: sub } = await signUp(h, email);
    expect(await failure(confirmForgotPassword(email, code(email, "signup")))).toEqual(expired);
    expect(await status(email)).toBe("UNCONFIRMED");
    expect(triggersFor(sub)).toHaveLength(0);
  });

  it("with both codes outstanding, each works only for its own purpose", async () => {
    const email = uniqueEmail("both-codes");
    const { UserSub: sub } = await signUp(h, email);
    // An administrator verified the address of a still-unconfirmed user, so a reset code can be sent.
    await h.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: h.pool.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: "email", Value: email },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await forgotPassword(email);
    const signupCode = code(email, "signup");
    const resetCode = code(email, "forgot-password");
    if (signupCode !== resetCode) {
      expect(await failure(confirmSignUp(email, resetCode))).toEqual(mismatch);
      expect(await failure(confirmForgotPassword(email, signupCode))).toEqual(mismatch);
    }
    expect(await status(email)).toBe("UNCONFIRMED");
    expect(triggersFor(sub)).toHaveLength(0);
    await confirmSignUp(email, signupCode);
    expect(triggersFor(sub).map((i) => i.event.triggerSource)).toEqual([
      "PostConfirmation_ConfirmSignUp",
    ]);
  });
});
