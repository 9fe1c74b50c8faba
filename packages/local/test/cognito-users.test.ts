import { randomBytes } from "node:crypto";
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { signIn, signOut } from "aws-amplify/auth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode } from "../testing/amplify-node";
import {
  failure,
  type Harness,
  latestCode,
  PASSWORD,
  signUp,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

let h: Harness;
/** A test-only client that allows the password flows the web client refuses. */
let passwordClientId: string;

beforeAll(async () => {
  h = await startHarness();
  configureAmplifyInNode({ ...h.pool, cognitoEndpoint: h.pool.endpoint });
  const { UserPoolClient } = await h.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: h.pool.userPoolId,
      ClientName: "users-test",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    }),
  );
  passwordClientId = UserPoolClient?.ClientId as string;
});

afterEach(async () => {
  await signOut();
  h.clock.reset();
});

afterAll(async () => {
  await h?.stop();
});

const client = () => h.pool.userPoolClientId;
const incorrect = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const notConfirmed = { name: "UserNotConfirmedException", message: "User is not confirmed." };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const passwordSignIn = (email: string, password: string) =>
  h.client.send(
    new InitiateAuthCommand({
      ClientId: passwordClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
const adminPasswordSignIn = (email: string, password: string) =>
  h.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: h.pool.userPoolId,
      ClientId: passwordClientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
/** The first SRP step, as a client sends it; A only needs to be a number here. */
const srpChallenge = async (username: string) => {
  const { ChallengeName, ChallengeParameters } = await h.client.send(
    new InitiateAuthCommand({
      ClientId: client(),
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: randomBytes(384).toString("hex") },
    }),
  );
  expect(ChallengeName).toBe("PASSWORD_VERIFIER");
  return ChallengeParameters as Record<string, string>;
};

describe("an unconfirmed user", () => {
  it("gets UserNotConfirmedException before any password check, in the password flows", async () => {
    const email = uniqueEmail("unconfirmed");
    await signUp(h, email);
    for (const attempt of [passwordSignIn, adminPasswordSignIn]) {
      expect(await failure(attempt(email, PASSWORD))).toEqual(notConfirmed);
      expect(await failure(attempt(email, `${PASSWORD}-wrong`))).toEqual(notConfirmed);
    }
    const confirmed = uniqueEmail("confirmed");
    await signUpAndConfirm(h, confirmed);
    expect(await failure(passwordSignIn(confirmed, `${PASSWORD}-wrong`))).toEqual(incorrect);
    expect((await passwordSignIn(confirmed, PASSWORD)).AuthenticationResult?.IdToken).toBeTruthy();
  });
});

describe("failed sign-ins lock the user out for a while", () => {
  const exceeded = { name: "NotAuthorizedException", message: "Password attempts exceeded" };

  it("after 5 wrong passwords, 1 s, then doubling per failure; the right password waits too", async () => {
    const email = uniqueEmail("lockout");
    await signUpAndConfirm(h, email);
    const wrong = `${PASSWORD}-wrong`;
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await failure(passwordSignIn(email, wrong))).toEqual(incorrect);
    }
    expect(await failure(passwordSignIn(email, PASSWORD))).toEqual(exceeded);
    h.clock.advance(1.1);
    expect(await failure(passwordSignIn(email, wrong))).toEqual(incorrect);
    // The 6th failure locks for 2 s; attempts meanwhile don't lengthen it.
    h.clock.advance(1);
    expect(await failure(passwordSignIn(email, PASSWORD))).toEqual(exceeded);
    h.clock.advance(1.1);
    expect((await passwordSignIn(email, PASSWORD)).AuthenticationResult).toBeTruthy();
    // A successful sign-in starts over: four more failures lock nothing.
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await failure(passwordSignIn(email, wrong))).toEqual(incorrect);
    }
    expect((await passwordSignIn(email, PASSWORD)).AuthenticationResult).toBeTruthy();
  });

  it("applies to SRP sign-in (Amplify) as well, and 15 quiet minutes after a lockout reset it", async () => {
    const email = uniqueEmail("lockout-srp");
    await signUpAndConfirm(h, email);
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await failure(passwordSignIn(email, `${PASSWORD}-wrong`))).toEqual(incorrect);
    }
    // Failures 6 to 9, each after the previous lockout: the 9th locks for 16 s,
    // longer than an SRP round trip takes in real time.
    for (let failures = 5; failures < 9; failures++) {
      h.clock.advance(2 ** (failures - 5) + 0.1);
      expect(await failure(passwordSignIn(email, `${PASSWORD}-wrong`))).toEqual(incorrect);
    }
    expect(await failure(signIn({ username: email, password: PASSWORD }))).toEqual(exceeded);
    h.clock.advance(15 * 60);
    // Reset: a 6th failure now would be the first, so it locks nothing.
    expect(await failure(passwordSignIn(email, `${PASSWORD}-wrong`))).toEqual(incorrect);
    expect((await signIn({ username: email, password: PASSWORD })).isSignedIn).toBe(true);
  });
});

describe("user existence is not revealed (PreventUserExistenceErrors)", () => {
  it("ConfirmSignUp and ConfirmForgotPassword for an unknown user answer CodeMismatchException", async () => {
    const unknownSignUp = await failure(
      h.client.send(
        new ConfirmSignUpCommand({
          ClientId: client(),
          Username: uniqueEmail("nobody"),
          ConfirmationCode: "123456",
        }),
      ),
    );
    expect(unknownSignUp.name).toBe("CodeMismatchException");
    const error = await failure(
      h.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: client(),
          Username: uniqueEmail("nobody"),
          ConfirmationCode: "123456",
          Password: "Brand-New-Secret-7",
        }),
      ),
    );
    expect(error).toEqual({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
  });

  it("masks CodeDeliveryDetails.Destination for real and unknown users alike; the mailbox keeps the address", async () => {
    const email = `alice.${Date.now()}@example.com`;
    const masked = { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "a***@e***" };
    expect((await signUp(h, email)).CodeDeliveryDetails).toEqual(masked);
    const resend = (username: string) =>
      h.client.send(new ResendConfirmationCodeCommand({ ClientId: client(), Username: username }));
    const forgot = (username: string) =>
      h.client.send(new ForgotPasswordCommand({ ClientId: client(), Username: username }));
    expect((await resend(email)).CodeDeliveryDetails).toEqual(masked);
    const ghost = `alfred.${Date.now()}@elsewhere.org`;
    expect((await resend(ghost)).CodeDeliveryDetails).toEqual(masked);
    expect((await forgot(ghost)).CodeDeliveryDetails).toEqual(masked);
    expect(h.mailbox.messagesFor(ghost)).toEqual([]);

    await h.client.send(
      new ConfirmSignUpCommand({
        ClientId: client(),
        Username: email,
        ConfirmationCode: latestCode(h.mailbox, email),
      }),
    );
    expect((await forgot(email)).CodeDeliveryDetails).toEqual(masked);
    expect(h.mailbox.messagesFor(email).map(({ to, kind }) => ({ to, kind }))).toEqual([
      { to: email, kind: "signup" },
      { to: email, kind: "resend" },
      { to: email, kind: "forgot-password" },
    ]);
  });

  it("answers SRP for an unknown name with a stable salt and a stable uuid-shaped user id, then NotAuthorizedException", async () => {
    const ghost = uniqueEmail("ghost");
    const first = await srpChallenge(ghost);
    const second = await srpChallenge(ghost.toUpperCase());
    expect(first.USER_ID_FOR_SRP).toMatch(uuid);
    expect(first.USER_ID_FOR_SRP).not.toBe(ghost);
    expect(first.USERNAME).toBe(first.USER_ID_FOR_SRP);
    expect(second.USER_ID_FOR_SRP).toBe(first.USER_ID_FOR_SRP);
    expect(second.SALT).toBe(first.SALT);
    expect(second.SRP_B).not.toBe(first.SRP_B);
    expect((await srpChallenge(uniqueEmail("ghost"))).USER_ID_FOR_SRP).not.toBe(
      first.USER_ID_FOR_SRP,
    );

    // A real user's challenge has the same shape: the sub, and a salt that stays put.
    const email = uniqueEmail("real");
    const { UserSub: sub } = await signUpAndConfirm(h, email);
    const real = await srpChallenge(email);
    expect(real.USER_ID_FOR_SRP).toBe(sub);
    expect(real.USERNAME).toBe(sub);
    expect((await srpChallenge(email)).SALT).toBe(real.SALT);
    expect(Object.keys(real).sort()).toEqual(Object.keys(first).sort());

    await h.restart();
    expect((await srpChallenge(ghost)).USER_ID_FOR_SRP).toBe(first.USER_ID_FOR_SRP);
    expect((await srpChallenge(ghost)).SALT).toBe(first.SALT);
    configureAmplifyInNode({ ...h.pool, cognitoEndpoint: h.pool.endpoint });
    expect(await failure(signIn({ username: ghost, password: PASSWORD }))).toEqual(incorrect);
  });
});

describe("usernames ignore case", () => {
  it("one account for sign-up, confirmation, sign-in, reset, resend and the admin calls", async () => {
    const stamp = `${process.pid}.${Date.now()}`;
    const email = `Mixed.Case.${stamp}@Example.com`;
    const lower = email.toLowerCase();
    const upper = email.toUpperCase();
    const { UserSub: sub } = await signUp(h, email);
    expect((await failure(signUp(h, lower))).name).toBe("UsernameExistsException");

    await h.client.send(new ResendConfirmationCodeCommand({ ClientId: client(), Username: upper }));
    await h.client.send(
      new ConfirmSignUpCommand({
        ClientId: client(),
        Username: lower,
        ConfirmationCode: latestCode(h.mailbox, email),
      }),
    );
    const user = await h.client.send(
      new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: upper }),
    );
    expect(user).toMatchObject({ Username: sub, UserStatus: "CONFIRMED" });
    // The address is kept as it was given.
    expect(user.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe(email);

    expect((await signIn({ username: lower, password: PASSWORD })).isSignedIn).toBe(true);
    await signOut();
    expect((await adminPasswordSignIn(upper, PASSWORD)).AuthenticationResult).toBeTruthy();

    await h.client.send(new ForgotPasswordCommand({ ClientId: client(), Username: upper }));
    const newPassword = "Brand-New-Secret-7";
    await h.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: client(),
        Username: lower,
        ConfirmationCode: latestCode(h.mailbox, email),
        Password: newPassword,
      }),
    );
    expect((await signIn({ username: upper, password: newPassword })).isSignedIn).toBe(true);
  });
});
