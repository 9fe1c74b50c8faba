import {
  AdminDisableUserCommand,
  ChangePasswordCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCOUNT_ID,
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
import { signedHeaders } from "./signed";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    spec: (spec) => ({
      ...spec,
      clients: spec.clients.map((c) => ({
        ...c,
        explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      })),
    }),
  });
});

afterAll(async () => {
  await h?.stop();
});

const accessToken = async (email: string, password = PASSWORD) => {
  const { AuthenticationResult } = await h.client.send(
    new InitiateAuthCommand({
      ClientId: h.pool.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  return AuthenticationResult?.AccessToken as string;
};

describe("one account per email in a pool whose username is the email", () => {
  it("refuses a username with a leading or trailing space (the API's username pattern)", async () => {
    const email = uniqueEmail("space");
    await signUp(h, email);
    for (const name of [` ${email}`, `${email} `]) {
      const error = await failure(signUp(h, name));
      expect(error.name).toBe("InvalidParameterException");
      expect(error.message).toContain("Member must satisfy regular expression pattern");
    }
  });

  it("refuses an email attribute that differs from the username", async () => {
    const error = await failure(
      h.client.send(
        new SignUpCommand({
          ClientId: h.pool.userPoolClientId,
          Username: uniqueEmail("name"),
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: uniqueEmail("other") }],
        }),
      ),
    );
    expect(error).toEqual({
      name: "InvalidParameterException",
      message: "User email should be empty or same as username, since username attribute is email.",
    });
    expect((await failure(signUp(h, "not-an-email"))).message).toBe("Username should be an email.");
  });

  it("a second sign-up: UsernameExistsException, whatever the case", async () => {
    const email = uniqueEmail("twice");
    await signUp(h, email);
    for (const again of [email, email.toUpperCase()]) {
      expect(await failure(signUp(h, again))).toEqual({
        name: "UsernameExistsException",
        message: "An account with the given email already exists.",
      });
    }
  });

  it("UpdateUserAttributes to another user's email: AliasExistsException, nothing changed", async () => {
    const taken = uniqueEmail("taken");
    await signUpAndConfirm(h, taken);
    const email = uniqueEmail("mover");
    await signUpAndConfirm(h, email);
    const token = await accessToken(email);
    const error = await failure(
      h.client.send(
        new UpdateUserAttributesCommand({
          AccessToken: token,
          UserAttributes: [{ Name: "email", Value: taken.toUpperCase() }],
        }),
      ),
    );
    expect(error).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    expect((await accessToken(email)).length).toBeGreaterThan(0);
  });
});

describe("responses real clients read", () => {
  it("ChangePassword with a wrong current password: Incorrect username or password.", async () => {
    const email = uniqueEmail("change");
    await signUpAndConfirm(h, email);
    const token = await accessToken(email);
    expect(
      await failure(
        h.client.send(
          new ChangePasswordCommand({
            AccessToken: token,
            PreviousPassword: `${PASSWORD}-wrong`,
            ProposedPassword: "Another-Passw0rd!",
          }),
        ),
      ),
    ).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    await h.client.send(
      new ChangePasswordCommand({
        AccessToken: token,
        PreviousPassword: PASSWORD,
        ProposedPassword: "Another-Passw0rd!",
      }),
    );
    expect(await accessToken(email, "Another-Passw0rd!")).toBeTruthy();
  });

  it("a new email: masked CodeDeliveryDetailsList, unverified until its code; GetUserAttributeVerificationCode", async () => {
    const email = uniqueEmail("verify");
    await signUpAndConfirm(h, email);
    const token = await accessToken(email);
    const next = `zoe.${Date.now()}@mail.example.org`;
    const update = await h.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "email", Value: next }],
      }),
    );
    expect(update.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "z***@m***" },
    ]);
    const resent = await h.client.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
    );
    expect(resent.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "z***@m***",
    });
    expect(h.mailbox.messagesFor(next).map((m) => m.kind)).toEqual([
      "verify-attribute",
      "verify-attribute",
    ]);
    await h.client.send(
      new VerifyUserAttributeCommand({
        AccessToken: token,
        AttributeName: "email",
        Code: latestCode(h.mailbox, next),
      }),
    );
    expect(await accessToken(next)).toBeTruthy();
  });

  it("names a missing pool or client as AWS does", async () => {
    const pool = `${REGION}_Missing12`;
    expect(await failure(h.client.send(new DescribeUserPoolCommand({ UserPoolId: pool })))).toEqual(
      {
        name: "ResourceNotFoundException",
        message: `User pool ${pool} does not exist.`,
      },
    );
    expect(
      await failure(
        h.client.send(
          new DescribeUserPoolClientCommand({ UserPoolId: h.pool.userPoolId, ClientId: "nope" }),
        ),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool client nope does not exist.",
    });
  });

  it("DescribeUserPool: Arn, LambdaConfig, DeletionProtection, UserPoolTier and a true EstimatedNumberOfUsers", async () => {
    const describe = async () =>
      (await h.client.send(new DescribeUserPoolCommand({ UserPoolId: h.pool.userPoolId })))
        .UserPool;
    const before = (await describe())?.EstimatedNumberOfUsers ?? 0;
    await signUp(h, uniqueEmail("count"));
    const pool = await describe();
    expect(pool).toMatchObject({
      Id: h.pool.userPoolId,
      Arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${h.pool.userPoolId}`,
      LambdaConfig: {
        PostConfirmation: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${FUNCTION}`,
      },
      DeletionProtection: "INACTIVE",
      UserPoolTier: "LITE",
      MfaConfiguration: "OFF",
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }] },
      EstimatedNumberOfUsers: before + 1,
    });
    const pools = await h.client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(pools.UserPools?.map((p) => p.Id)).toEqual([h.pool.userPoolId]);
    const clients = await h.client.send(
      new ListUserPoolClientsCommand({ UserPoolId: h.pool.userPoolId }),
    );
    expect(clients.UserPoolClients?.map((c) => c.ClientId)).toContain(h.pool.userPoolClientId);
  });

  it("ListUsers filters: status (Enabled), cognito:user_status, = and ^= on the documented attributes", async () => {
    const stamp = `${process.pid}${Date.now()}`;
    const a = `f.${stamp}.a@example.com`;
    const b = `f.${stamp}.b@example.com`;
    await signUpAndConfirm(h, a, { given_name: `Given${stamp}`, family_name: "Filter" });
    const { UserSub: bSub } = await signUp(h, b, { given_name: `Other${stamp}` });
    await h.client.send(
      new AdminDisableUserCommand({ UserPoolId: h.pool.userPoolId, Username: b }),
    );
    const emails = async (Filter: string) => {
      const { Users = [] } = await h.client.send(
        new ListUsersCommand({ UserPoolId: h.pool.userPoolId, Filter }),
      );
      return Users.map((u) => u.Attributes?.find((x) => x.Name === "email")?.Value)
        .filter((e) => e === a || e === b)
        .sort();
    };
    expect(await emails(`email ^= "f.${stamp}"`)).toEqual([a, b]);
    expect(await emails(`email = "${a}"`)).toEqual([a]);
    expect(await emails(`sub = "${bSub}"`)).toEqual([b]);
    expect(await emails(`given_name ^= "Given${stamp}"`)).toEqual([a]);
    expect(await emails(`cognito:user_status = "unconfirmed"`)).toEqual([b]);
    expect(await emails(`status = "Disabled"`)).toEqual([b]);
    expect(await emails(`status = "Enabled"`)).toEqual([a]);
    expect(await emails(`status = "enabled"`)).toEqual([]);
    expect(
      (
        await failure(
          h.client.send(
            new ListUsersCommand({ UserPoolId: h.pool.userPoolId, Filter: "email = a" }),
          ),
        )
      ).name,
    ).toBe("InvalidParameterException");
  });
});

describe("the wire format", () => {
  const call = (target: string, body: unknown) =>
    fetch(h.pool.endpoint, {
      method: "POST",
      headers: {
        ...signedHeaders("cognito-idp"),
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(body),
    });

  it("errors carry x-amzn-errortype, __type and message; a call it does not serve says so", async () => {
    const response = await call("InitiateAuth", {
      ClientId: h.pool.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: uniqueEmail("nobody"), PASSWORD },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("NotAuthorizedException");
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(await response.json()).toEqual({
      __type: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    const unsupported = await call("CreateUserImportJob", { UserPoolId: h.pool.userPoolId });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toEqual({
      __type: "UnsupportedOperationException",
      message: "CreateUserImportJob is not emulated by the local user pool.",
    });
    const garbage = await fetch(h.pool.endpoint, {
      method: "POST",
      headers: { "x-amz-target": "AWSCognitoIdentityProviderService.SignUp" },
      body: "{not json",
    });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { __type: string }).__type).toBe("SerializationException");
  });
});
