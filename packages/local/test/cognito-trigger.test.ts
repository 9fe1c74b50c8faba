import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import {
  FUNCTION,
  failure,
  type Harness,
  latestCode,
  PASSWORD,
  REGION,
  signUp,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterEach(() => {
  h.lambda.setHandler((event) => event);
});

afterAll(async () => {
  await h?.stop();
});

async function storedAttributes(email: string) {
  const user = await h.client.send(
    new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: email }),
  );
  return {
    status: user.UserStatus,
    username: user.Username,
    attributes: Object.fromEntries(
      (user.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value]),
    ),
  };
}

function invocationsFor(sub: string) {
  return h.lambda.invocations.filter((invocation) => invocation.event.userName === sub);
}

describe("PostConfirmation events shaped like AWS's", () => {
  it("sends version 1, the region, the client, sub as userName and verified attributes", async () => {
    const email = uniqueEmail("event");
    const { UserSub: sub } = await signUpAndConfirm(h, email, {
      given_name: "Grace",
      family_name: "Hopper",
    });
    const [invocation, ...more] = invocationsFor(sub ?? "");
    expect(more).toHaveLength(0);
    expect(invocation?.name).toBe(FUNCTION);
    expect(invocation?.event).toEqual({
      version: "1",
      region: REGION,
      userPoolId: h.pool.userPoolId,
      userName: sub,
      callerContext: {
        awsSdkVersion: expect.any(String),
        clientId: h.pool.userPoolClientId,
      },
      triggerSource: "PostConfirmation_ConfirmSignUp",
      request: {
        userAttributes: {
          sub,
          email,
          email_verified: "true",
          given_name: "Grace",
          family_name: "Hopper",
          "cognito:user_status": "CONFIRMED",
        },
      },
      response: {},
    });
  });

  it("leaves out the names when they were not given", async () => {
    const email = uniqueEmail("no-names");
    const { UserSub: sub } = await signUpAndConfirm(h, email);
    const attributes = invocationsFor(sub ?? "")[0]?.event.request.userAttributes ?? {};
    expect(Object.keys(attributes).sort()).toEqual(
      ["cognito:user_status", "email", "email_verified", "sub"].sort(),
    );
  });

  it("marks the email verified in the stored user on ConfirmSignUp", async () => {
    const email = uniqueEmail("verified");
    await signUp(h, email);
    expect((await storedAttributes(email)).attributes.email_verified).not.toBe("true");
    await h.client.send(
      new ConfirmSignUpCommand({
        ClientId: h.pool.userPoolClientId,
        Username: email,
        ConfirmationCode: latestCode(h.mailbox, email),
      }),
    );
    const stored = await storedAttributes(email);
    expect(stored.status).toBe("CONFIRMED");
    expect(stored.attributes.email_verified).toBe("true");
  });

  it("leaves the email unverified on AdminConfirmSignUp (no code proved it), with Cognito's admin client id", async () => {
    const email = uniqueEmail("admin-confirm");
    const { UserSub: sub } = await signUp(h, email);
    await h.client.send(
      new AdminConfirmSignUpCommand({ UserPoolId: h.pool.userPoolId, Username: email }),
    );
    const stored = await storedAttributes(email);
    expect(stored.status).toBe("CONFIRMED");
    expect(stored.attributes.email_verified).not.toBe("true");
    const event = invocationsFor(sub ?? "")[0]?.event;
    expect(event?.triggerSource).toBe("PostConfirmation_ConfirmSignUp");
    expect(event?.callerContext.clientId).toBe("CLIENT_ID_NOT_APPLICABLE");
    expect(event?.request.userAttributes.email_verified).not.toBe("true");

    // With no verified address the pool cannot send a reset code.
    const reset = await failure(
      h.client.send(
        new ForgotPasswordCommand({ ClientId: h.pool.userPoolClientId, Username: email }),
      ),
    );
    expect(reset).toEqual({
      name: "InvalidParameterException",
      message:
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
    expect(h.mailbox.messagesFor(email).map((message) => message.kind)).toEqual(["signup"]);
  });
});

describe("a failing PostConfirmation trigger", () => {
  it("reaches the client as UserLambdaValidationException while the user stays confirmed", async () => {
    const email = uniqueEmail("fails");
    const { UserSub: sub } = await signUp(h, email);
    h.lambda.setHandler(() => {
      throw new Error("Profile store unavailable");
    });
    const error = await failure(
      h.client.send(
        new ConfirmSignUpCommand({
          ClientId: h.pool.userPoolClientId,
          Username: email,
          ConfirmationCode: latestCode(h.mailbox, email),
        }),
      ),
    );
    expect(error).toEqual({
      name: "UserLambdaValidationException",
      message: "PostConfirmation failed with error Profile store unavailable.",
    });
    const stored = await storedAttributes(email);
    expect(stored.status).toBe("CONFIRMED");
    expect(stored.attributes.email_verified).toBe("true");

    h.lambda.setHandler((event) => event);
    const replay = await failure(
      h.client.send(
        new ConfirmSignUpCommand({
          ClientId: h.pool.userPoolClientId,
          Username: email,
          ConfirmationCode: latestCode(h.mailbox, email),
        }),
      ),
    );
    expect(replay).toEqual({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
    expect(invocationsFor(sub ?? "")).toHaveLength(1);
  });

  it("rejects a handler that does not return the event", async () => {
    const email = uniqueEmail("returns-null");
    await signUp(h, email);
    h.lambda.setHandler(() => null);
    const error = await failure(
      h.client.send(
        new ConfirmSignUpCommand({
          ClientId: h.pool.userPoolClientId,
          Username: email,
          ConfirmationCode: latestCode(h.mailbox, email),
        }),
      ),
    );
    expect(error.name).toBe("InvalidLambdaResponseException");
    expect((await storedAttributes(email)).status).toBe("CONFIRMED");
  });

  it("retries a timed-out trigger three times, then fails with UnexpectedLambdaException", async () => {
    const fast = await startHarness({ triggerTimeoutMs: 150 });
    try {
      const email = uniqueEmail("slow");
      const { UserSub: sub } = await signUp(fast, email);
      fast.lambda.setHandler(async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return event;
      });
      const error = await failure(
        fast.client.send(
          new ConfirmSignUpCommand({
            ClientId: fast.pool.userPoolClientId,
            Username: email,
            ConfirmationCode: latestCode(fast.mailbox, email),
          }),
        ),
      );
      expect(error.name).toBe("UnexpectedLambdaException");
      expect(
        fast.lambda.invocations.filter((invocation) => invocation.event.userName === sub),
      ).toHaveLength(3);
    } finally {
      await fast.stop();
    }
  });

  it("fails with UnexpectedLambdaException when the Lambda service cannot be reached", async () => {
    const down = await startHarness({
      invoke: async () => {
        throw new Error("connect ECONNREFUSED 127.0.0.1:9");
      },
    });
    try {
      const email = uniqueEmail("down");
      await signUp(down, email);
      const error = await failure(
        down.client.send(
          new ConfirmSignUpCommand({
            ClientId: down.pool.userPoolClientId,
            Username: email,
            ConfirmationCode: latestCode(down.mailbox, email),
          }),
        ),
      );
      expect(error.name).toBe("UnexpectedLambdaException");
    } finally {
      await down.stop();
    }
  });
});

describe("forgot password", () => {
  const signInWith = (email: string, password: string) => {
    configureAmplifyInNode({ ...h.pool, cognitoEndpoint: h.pool.endpoint });
    return srpSignIn(email, password);
  };

  it("mails a code, enforces the policy, sets the password and fires ConfirmForgotPassword", async () => {
    const email = uniqueEmail("forgot");
    const { UserSub: sub } = await signUpAndConfirm(h, email);
    await h.client.send(
      new ForgotPasswordCommand({ ClientId: h.pool.userPoolClientId, Username: email }),
    );
    const message = h.mailbox.messagesFor(email).at(-1);
    expect(message?.kind).toBe("forgot-password");
    const code = message?.code ?? "";

    const weak = await failure(
      h.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: h.pool.userPoolClientId,
          Username: email,
          ConfirmationCode: code,
          Password: "alllowercase1!",
        }),
      ),
    );
    expect(weak).toEqual({
      name: "InvalidPasswordException",
      message: "Password did not conform with policy: Password must have uppercase characters",
    });

    const newPassword = "Brand-New-Secret-7";
    await h.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: h.pool.userPoolClientId,
        Username: email,
        ConfirmationCode: code,
        Password: newPassword,
      }),
    );
    expect(invocationsFor(sub ?? "").map((invocation) => invocation.event.triggerSource)).toEqual([
      "PostConfirmation_ConfirmSignUp",
      "PostConfirmation_ConfirmForgotPassword",
    ]);
    const reset = invocationsFor(sub ?? "")[1]?.event;
    expect(reset).toMatchObject({ version: "1", region: REGION, userName: sub });
    expect(reset?.request.userAttributes).toMatchObject({
      email,
      email_verified: "true",
      "cognito:user_status": "CONFIRMED",
    });
    expect((await signInWith(email, newPassword)).idToken).toBeTruthy();
    expect((await failure(signInWith(email, PASSWORD))).name).toBe("NotAuthorizedException");
  });

  it("refuses to reset a user whose email was never verified", async () => {
    const email = uniqueEmail("forgot-unverified");
    await signUp(h, email);
    const error = await failure(
      h.client.send(
        new ForgotPasswordCommand({ ClientId: h.pool.userPoolClientId, Username: email }),
      ),
    );
    expect(error.name).toBe("InvalidParameterException");
  });
});
