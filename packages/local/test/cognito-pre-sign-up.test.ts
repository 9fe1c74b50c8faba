import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  failure,
  type Harness,
  PASSWORD,
  signUp,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

let h: Harness;
const PRE_SIGN_UP = "pre-sign-up";

beforeAll(async () => {
  h = await startHarness({
    spec: (spec) => ({ ...spec, triggers: { ...spec.triggers, PreSignUp: PRE_SIGN_UP } }),
  });
});

afterEach(() => {
  h.lambda.setHandler((event) => event);
});

afterAll(async () => {
  await h?.stop();
});

const preSignUps = () => h.lambda.invocations.filter((i) => i.name === PRE_SIGN_UP);
const stored = async (email: string) => {
  const user = await h.client.send(
    new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: email }),
  );
  return {
    status: user.UserStatus,
    attributes: Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])),
  };
};

describe("Pre sign-up on SignUp", () => {
  it("sends the attributes, validation data and client metadata, as cognito-idp for this pool", async () => {
    const email = uniqueEmail("pre");
    await h.client.send(
      new (await import("@aws-sdk/client-cognito-identity-provider")).SignUpCommand({
        ClientId: h.pool.userPoolClientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: "given_name", Value: "Ada" }],
        ValidationData: [{ Name: "invite", Value: "x1" }],
        ClientMetadata: { source: "test" },
      }),
    );
    const invocation = preSignUps().at(-1);
    expect(invocation?.caller).toEqual({
      principal: "cognito-idp.amazonaws.com",
      sourceArn: h.spec.arn,
    });
    expect(invocation?.event).toMatchObject({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      userPoolId: h.pool.userPoolId,
      callerContext: { clientId: h.pool.userPoolClientId },
      request: {
        userAttributes: { email, given_name: "Ada", sub: expect.any(String) },
        validationData: { invite: "x1" },
        clientMetadata: { source: "test" },
      },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect((await stored(email)).status).toBe("UNCONFIRMED");
  });

  it("an error stops the sign-up: UserLambdaValidationException, no user, no code", async () => {
    h.lambda.setHandler(() => {
      throw new Error("Invitations only");
    });
    const email = uniqueEmail("refused");
    expect(await failure(signUp(h, email))).toEqual({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error Invitations only.",
    });
    expect(h.mailbox.messagesFor(email)).toEqual([]);
    const { Users } = await h.client.send(
      new ListUsersCommand({ UserPoolId: h.pool.userPoolId, Filter: `email = "${email}"` }),
    );
    expect(Users).toEqual([]);
  });

  it("autoConfirmUser confirms without a code; autoVerifyEmail marks the email verified", async () => {
    h.lambda.setHandler((event) => ({
      ...event,
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
    }));
    const email = uniqueEmail("auto");
    const result = await signUp(h, email);
    expect(result.UserConfirmed).toBe(true);
    expect(result.CodeDeliveryDetails).toBeUndefined();
    expect(h.mailbox.messagesFor(email)).toEqual([]);
    expect(await stored(email)).toMatchObject({
      status: "CONFIRMED",
      attributes: { email, email_verified: "true" },
    });
    const post = h.lambda.invocations.filter(
      (i) => i.name !== PRE_SIGN_UP && i.event.userName === result.UserSub,
    );
    expect(post.map((i) => i.event.triggerSource)).toEqual(["PostConfirmation_ConfirmSignUp"]);
  });

  it("autoConfirmUser alone leaves the email unverified", async () => {
    h.lambda.setHandler((event) => ({ ...event, response: { autoConfirmUser: true } }));
    const email = uniqueEmail("auto-unverified");
    await signUp(h, email);
    expect(await stored(email)).toMatchObject({
      status: "CONFIRMED",
      attributes: { email_verified: "false" },
    });
  });

  it("a reply that is not the event is InvalidLambdaResponseException and stores nothing", async () => {
    h.lambda.setHandler(() => null);
    const email = uniqueEmail("null-reply");
    expect((await failure(signUp(h, email))).name).toBe("InvalidLambdaResponseException");
    expect((await failure(stored(email))).name).toBe("UserNotFoundException");
  });
});

describe("Pre sign-up on AdminCreateUser", () => {
  it("runs with PreSignUp_AdminCreateUser; Cognito ignores the auto-confirm fields there", async () => {
    h.lambda.setHandler((event) => ({
      ...event,
      response: { autoConfirmUser: true, autoVerifyEmail: true },
    }));
    const email = uniqueEmail("admin-pre");
    await h.client.send(
      new AdminCreateUserCommand({
        UserPoolId: h.pool.userPoolId,
        Username: email,
        MessageAction: "SUPPRESS",
      }),
    );
    expect(preSignUps().at(-1)?.event).toMatchObject({
      triggerSource: "PreSignUp_AdminCreateUser",
      callerContext: { clientId: "CLIENT_ID_NOT_APPLICABLE" },
    });
    const user = await stored(email);
    expect(user.status).toBe("FORCE_CHANGE_PASSWORD");
    expect(user.attributes.email_verified).not.toBe("true");
  });

  it("an error stops AdminCreateUser too", async () => {
    h.lambda.setHandler(() => {
      throw new Error("No admins today");
    });
    const email = uniqueEmail("admin-refused");
    const error = await failure(
      h.client.send(new AdminCreateUserCommand({ UserPoolId: h.pool.userPoolId, Username: email })),
    );
    expect(error).toEqual({
      name: "UserLambdaValidationException",
      message: "PreSignUp failed with error No admins today.",
    });
    expect((await failure(stored(email))).name).toBe("UserNotFoundException");
  });
});
