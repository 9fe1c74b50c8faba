import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UserPoolSpec } from "../src/spec";
import {
  failure,
  type Harness,
  PASSWORD,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

const PRE_TOKEN = "pre-token";

/** The app's pool with a Pre token generation trigger and a client that allows the password flows. */
const withTrigger =
  (version: UserPoolSpec["preTokenGenerationVersion"]) => (spec: UserPoolSpec) => ({
    ...spec,
    triggers: { ...spec.triggers, PreTokenGeneration: PRE_TOKEN },
    preTokenGenerationVersion: version,
    clients: spec.clients.map((client) => ({
      ...client,
      explicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
    })),
  });

let v1: Harness;
let v2: Harness;

beforeAll(async () => {
  [v1, v2] = await Promise.all([
    startHarness({ spec: withTrigger("V1_0") }),
    startHarness({ spec: withTrigger("V2_0") }),
  ]);
});

afterEach(() => {
  for (const h of [v1, v2]) h.lambda.setHandler((event) => event);
});

afterAll(async () => {
  await Promise.all([v1?.stop(), v2?.stop()]);
});

const signIn = async (h: Harness, email: string) => {
  const { AuthenticationResult } = await h.client.send(
    new InitiateAuthCommand({
      ClientId: h.pool.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  return {
    id: decodeJwt(AuthenticationResult?.IdToken as string),
    access: decodeJwt(AuthenticationResult?.AccessToken as string),
    refreshToken: AuthenticationResult?.RefreshToken as string,
  };
};
const tokenEvents = (h: Harness) => h.lambda.invocations.filter((i) => i.name === PRE_TOKEN);

async function groupMember(h: Harness, email: string) {
  await signUpAndConfirm(h, email, { given_name: "Ada" });
  const group = `readers-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  await h.client.send(new CreateGroupCommand({ UserPoolId: h.pool.userPoolId, GroupName: group }));
  await h.client.send(
    new AdminAddUserToGroupCommand({
      UserPoolId: h.pool.userPoolId,
      Username: email,
      GroupName: group,
    }),
  );
  return group;
}

describe("V1_0: the ID token's claims and both tokens' groups", () => {
  it("sends the attributes and groups, applies claimsToAddOrOverride, claimsToSuppress and groupOverrideDetails", async () => {
    const email = uniqueEmail("v1");
    const group = await groupMember(v1, email);
    v1.lambda.setHandler((event) => ({
      ...event,
      response: {
        claimsOverrideDetails: {
          claimsToAddOrOverride: { tenant: "acme", given_name: "Grace" },
          claimsToSuppress: ["email"],
          groupOverrideDetails: {
            groupsToOverride: ["admins"],
            iamRolesToOverride: [],
            preferredRole: null,
          },
        },
      },
    }));
    const { id, access } = await signIn(v1, email);
    const event = tokenEvents(v1).at(-1)?.event;
    expect(event).toMatchObject({
      version: "1",
      triggerSource: "TokenGeneration_Authentication",
      callerContext: { clientId: v1.pool.userPoolClientId },
      request: {
        userAttributes: { email, given_name: "Ada", "cognito:user_status": "CONFIRMED" },
        groupConfiguration: { groupsToOverride: [group], iamRolesToOverride: [] },
      },
      response: { claimsOverrideDetails: null },
    });
    expect(id).toMatchObject({ tenant: "acme", given_name: "Grace", "cognito:groups": ["admins"] });
    expect(id.email).toBeUndefined();
    expect(access["cognito:groups"]).toEqual(["admins"]);
    expect(access.tenant).toBeUndefined();
  });

  it("leaves the claims Cognito keeps fixed as they are", async () => {
    const email = uniqueEmail("v1-fixed");
    await signUpAndConfirm(v1, email);
    v1.lambda.setHandler((event) => ({
      ...event,
      response: {
        claimsOverrideDetails: {
          claimsToAddOrOverride: {
            sub: "someone-else",
            aud: "other",
            iss: "https://evil",
            token_use: "access",
          },
          claimsToSuppress: ["exp", "cognito:username"],
        },
      },
    }));
    const { id } = await signIn(v1, email);
    expect(id.sub).not.toBe("someone-else");
    expect(id.aud).toBe(v1.pool.userPoolClientId);
    expect(id.iss).toBe(v1.pool.issuer);
    expect(id.token_use).toBe("id");
    expect(id.exp).toBeTypeOf("number");
    expect(id["cognito:username"]).toBeTruthy();
  });

  it("an empty groupOverrideDetails removes the groups from both tokens", async () => {
    const email = uniqueEmail("v1-nogroups");
    await groupMember(v1, email);
    v1.lambda.setHandler((event) => ({
      ...event,
      response: { claimsOverrideDetails: { groupOverrideDetails: {} } },
    }));
    const { id, access } = await signIn(v1, email);
    expect(id["cognito:groups"]).toBeUndefined();
    expect(access["cognito:groups"]).toBeUndefined();
  });

  it("a failing function fails the sign-in with UserLambdaValidationException", async () => {
    const email = uniqueEmail("v1-fails");
    await signUpAndConfirm(v1, email);
    v1.lambda.setHandler(() => {
      throw new Error("claims service down");
    });
    expect(await failure(signIn(v1, email))).toEqual({
      name: "UserLambdaValidationException",
      message: "PreTokenGeneration failed with error claims service down.",
    });
  });

  it("names the flow in triggerSource: refresh and a new password after a temporary one", async () => {
    const email = uniqueEmail("v1-sources");
    await signUpAndConfirm(v1, email);
    const { refreshToken } = await signIn(v1, email);
    await v1.client.send(
      new InitiateAuthCommand({
        ClientId: v1.pool.userPoolClientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(tokenEvents(v1).at(-1)?.event.triggerSource).toBe("TokenGeneration_RefreshTokens");

    const invited = uniqueEmail("v1-invited");
    await v1.client.send(
      new AdminCreateUserCommand({
        UserPoolId: v1.pool.userPoolId,
        Username: invited,
        TemporaryPassword: "Temp-Passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    const challenge = await v1.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: v1.pool.userPoolId,
        ClientId: v1.pool.userPoolClientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: invited, PASSWORD: "Temp-Passw0rd!" },
      }),
    );
    expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const done = await v1.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: v1.pool.userPoolClientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: challenge.Session,
        ChallengeResponses: {
          USERNAME: challenge.ChallengeParameters?.USER_ID_FOR_SRP as string,
          NEW_PASSWORD: PASSWORD,
        },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    expect(tokenEvents(v1).at(-1)?.event.triggerSource).toBe(
      "TokenGeneration_NewPasswordChallenge",
    );
  });
});

describe("V2_0: both tokens and the access token's scopes", () => {
  it("sends the scopes and applies idTokenGeneration, accessTokenGeneration and groupOverrideDetails", async () => {
    const email = uniqueEmail("v2");
    await groupMember(v2, email);
    v2.lambda.setHandler((event) => ({
      ...event,
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: {
            claimsToAddOrOverride: { plan: "pro" },
            claimsToSuppress: ["given_name"],
          },
          accessTokenGeneration: {
            claimsToAddOrOverride: { tenant: "acme", client_id: "forged", scope: "admin" },
            scopesToAdd: ["photos/read", "photos/write"],
            scopesToSuppress: ["aws.cognito.signin.user.admin"],
          },
          groupOverrideDetails: { groupsToOverride: ["editors"] },
        },
      },
    }));
    const { id, access } = await signIn(v2, email);
    const event = tokenEvents(v2).at(-1)?.event;
    expect(event).toMatchObject({
      version: "2",
      request: { scopes: ["aws.cognito.signin.user.admin"] },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(id).toMatchObject({ plan: "pro", "cognito:groups": ["editors"] });
    expect(id.given_name).toBeUndefined();
    expect(access).toMatchObject({
      tenant: "acme",
      client_id: v2.pool.userPoolClientId,
      scope: "photos/read photos/write",
      "cognito:groups": ["editors"],
    });
  });
});
