import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsupportedFeatures, unsupportedTriggers } from "../src/cognito/index";
import {
  failure,
  type Harness,
  PASSWORD,
  poolSpec,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    spec: (spec) => ({
      ...spec,
      clients: spec.clients.map((c) => ({ ...c, explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] })),
    }),
  });
});

afterAll(async () => {
  await h?.stop();
});

const groupsInToken = async (email: string) => {
  const { AuthenticationResult } = await h.client.send(
    new InitiateAuthCommand({
      ClientId: h.pool.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  return decodeJwt(AuthenticationResult?.AccessToken as string)["cognito:groups"];
};

describe("groups", () => {
  it("CreateGroup, AdminAddUserToGroup and cognito:groups in the tokens, by precedence", async () => {
    const UserPoolId = h.pool.userPoolId;
    const email = uniqueEmail("grouped");
    await signUpAndConfirm(h, email);
    await h.client.send(
      new CreateGroupCommand({ UserPoolId, GroupName: "readers", Precedence: 5 }),
    );
    await h.client.send(
      new CreateGroupCommand({
        UserPoolId,
        GroupName: "admins",
        Precedence: 1,
        Description: "All",
      }),
    );
    expect(
      await failure(h.client.send(new CreateGroupCommand({ UserPoolId, GroupName: "admins" }))),
    ).toEqual({ name: "GroupExistsException", message: "A group with the name already exists." });
    for (const GroupName of ["readers", "admins"]) {
      await h.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName }),
      );
    }
    expect(await groupsInToken(email)).toEqual(["admins", "readers"]);
    const listed = await h.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId, Username: email }),
    );
    expect(listed.Groups?.map((g) => g.GroupName)).toEqual(["admins", "readers"]);
    expect(
      (await h.client.send(new GetGroupCommand({ UserPoolId, GroupName: "admins" }))).Group,
    ).toMatchObject({
      GroupName: "admins",
      Description: "All",
      Precedence: 1,
      UserPoolId,
    });
    const members = await h.client.send(
      new ListUsersInGroupCommand({ UserPoolId, GroupName: "readers" }),
    );
    expect(members.Users?.map((u) => u.Attributes?.find((a) => a.Name === "email")?.Value)).toEqual(
      [email],
    );
    expect(
      (await h.client.send(new ListGroupsCommand({ UserPoolId }))).Groups?.map(
        (g) => g.GroupName,
      ).sort(),
    ).toEqual(["admins", "readers"]);

    await h.client.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: email, GroupName: "admins" }),
    );
    expect(await groupsInToken(email)).toEqual(["readers"]);
    await h.client.send(new DeleteGroupCommand({ UserPoolId, GroupName: "readers" }));
    expect(await groupsInToken(email)).toBeUndefined();
    expect(
      await failure(
        h.client.send(
          new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: "readers" }),
        ),
      ),
    ).toEqual({ name: "ResourceNotFoundException", message: "Group not found." });
  });
});

describe("what the planner refuses", () => {
  it("names the triggers and settings the local pool does not emulate", () => {
    const spec = poolSpec((s) => ({
      ...s,
      triggers: { ...s.triggers, CustomMessage: "messages", PreAuthentication: "pre-auth" },
      mfaConfiguration: "ON",
      allowedFirstAuthFactors: ["PASSWORD", "SMS_OTP", "WEB_AUTHN"],
    }));
    expect(unsupportedTriggers(spec.triggers).sort()).toEqual([
      "CustomMessage",
      "PreAuthentication",
    ]);
    expect(unsupportedFeatures(spec)).toEqual([
      "userprofile-local (Auth): the CustomMessage trigger is not emulated by the local user pool",
      "userprofile-local (Auth): the PreAuthentication trigger is not emulated by the local user pool",
      "userprofile-local (Auth): required MFA (MfaConfiguration ON) is not emulated by the local user pool",
      "userprofile-local (Auth): the SMS_OTP sign-in factor is not emulated by the local user pool",
    ]);
    expect(unsupportedFeatures(poolSpec())).toEqual([]);
  });
});
