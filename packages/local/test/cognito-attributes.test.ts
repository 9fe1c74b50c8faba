import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserPoolSpec } from "../src/spec";
import {
  failure,
  type Harness,
  PASSWORD,
  signUp,
  signUpAndConfirm,
  startHarness,
  uniqueEmail,
} from "./cognito-harness";

const RESTRICTED = "restrictedclient0000000000";

/** A pool with custom attributes and a second client that may read and write only some. */
const withSchema = (spec: UserPoolSpec): UserPoolSpec => ({
  ...spec,
  schema: [
    {
      name: "custom:tier",
      dataType: "String",
      mutable: true,
      required: false,
      developerOnly: false,
      stringConstraints: { maxLength: 10 },
    },
    {
      name: "custom:plan",
      dataType: "String",
      mutable: false,
      required: false,
      developerOnly: false,
    },
    {
      name: "custom:age",
      dataType: "Number",
      mutable: true,
      required: false,
      developerOnly: false,
      numberConstraints: { minValue: 0, maxValue: 150 },
    },
  ],
  clients: [
    ...spec.clients.map((c) => ({
      ...c,
      explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    })),
    {
      ...(spec.clients[0] as UserPoolSpec["clients"][number]),
      id: RESTRICTED,
      name: "restricted",
      explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
      readAttributes: ["email", "given_name", "custom:tier"],
      writeAttributes: ["email", "given_name"],
    },
  ],
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ spec: withSchema });
});

afterAll(async () => {
  await h?.stop();
});

const unauthorized = {
  name: "NotAuthorizedException",
  message: "A client attempted to write unauthorized attribute",
};

const signUpWith = (attributes: Record<string, string>, clientId = h.pool.userPoolClientId) =>
  h.client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: uniqueEmail("attr"),
      Password: PASSWORD,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );

const session = async (email: string, clientId = h.pool.userPoolClientId) => {
  const { AuthenticationResult } = await h.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  return AuthenticationResult as { AccessToken: string; IdToken: string };
};

describe("what an app client may write", () => {
  it("never sub, the verified flags or Cognito's own fields: NotAuthorizedException, nothing stored", async () => {
    const victim = uniqueEmail("victim");
    const { UserSub } = await signUp(h, victim);
    const attempts: Record<string, string>[] = [
      { sub: UserSub as string },
      { email_verified: "true" },
      { phone_number_verified: "true" },
      { "cognito:user_status": "CONFIRMED" },
    ];
    for (const attributes of attempts) {
      expect(await failure(signUpWith(attributes))).toEqual(unauthorized);
    }
  });

  it("only what its WriteAttributes list", async () => {
    expect(await failure(signUpWith({ "custom:tier": "gold" }, RESTRICTED))).toEqual(unauthorized);
    expect((await signUpWith({ given_name: "Ada" }, RESTRICTED)).UserSub).toBeTruthy();
  });

  it("only attributes of the pool's schema, with values its constraints accept", async () => {
    expect(await failure(signUpWith({ "custom:undefined": "x" }))).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: custom:undefined: Attribute does not exist in the schema.\n",
    });
    expect((await failure(signUpWith({ "custom:tier": "x".repeat(11) }))).name).toBe(
      "InvalidParameterException",
    );
    expect((await failure(signUpWith({ "custom:age": "200" }))).name).toBe(
      "InvalidParameterException",
    );
    expect((await failure(signUpWith({ "custom:age": "old" }))).name).toBe(
      "InvalidParameterException",
    );
    const ok = await signUpWith({
      "custom:tier": "gold",
      "custom:age": "42",
      "custom:plan": "basic",
    });
    expect(ok.UserSub).toBeTruthy();
  });

  it("UpdateUserAttributes follows the same rules, and a non-mutable attribute stays as created", async () => {
    const email = uniqueEmail("update");
    await signUpAndConfirm(h, email, { "custom:plan": "basic" });
    const { AccessToken } = await session(email);
    const update = (Name: string, Value: string) =>
      h.client.send(
        new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name, Value }] }),
      );
    expect(await failure(update("sub", "00000000-0000-4000-8000-000000000000"))).toEqual(
      unauthorized,
    );
    expect(await failure(update("email_verified", "true"))).toEqual(unauthorized);
    expect((await failure(update("custom:plan", "pro"))).name).toBe("InvalidParameterException");
    expect((await failure(update("custom:nope", "x"))).name).toBe("InvalidParameterException");
    await update("custom:tier", "silver");
    const user = await h.client.send(new GetUserCommand({ AccessToken }));
    const attributes = Object.fromEntries(
      (user.UserAttributes ?? []).map((a) => [a.Name, a.Value]),
    );
    expect(attributes).toMatchObject({ "custom:plan": "basic", "custom:tier": "silver" });
  });
});

describe("required attributes", () => {
  it("a new user must have every required attribute of the schema", async () => {
    const strict = await startHarness({
      spec: (spec) => ({
        ...spec,
        schema: [
          {
            name: "given_name",
            dataType: "String",
            mutable: true,
            required: true,
            developerOnly: false,
          },
        ],
      }),
    });
    try {
      expect(await failure(signUp(strict, uniqueEmail("nameless")))).toEqual({
        name: "InvalidParameterException",
        message: "Attributes did not conform to the schema: given_name: The attribute is required",
      });
      expect(
        (await signUp(strict, uniqueEmail("named"), { given_name: "Ada" })).UserSub,
      ).toBeTruthy();
    } finally {
      await strict.stop();
    }
  });
});

describe("what an administrator may write", () => {
  it("email_verified, and custom attributes of the schema; never sub or attributes outside it", async () => {
    const email = uniqueEmail("admin-attrs");
    await h.client.send(
      new AdminCreateUserCommand({
        UserPoolId: h.pool.userPoolId,
        Username: email,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email_verified", Value: "true" },
          { Name: "custom:plan", Value: "gold" },
        ],
      }),
    );
    const admin = (Name: string, Value: string) =>
      h.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: h.pool.userPoolId,
          Username: email,
          UserAttributes: [{ Name, Value }],
        }),
      );
    expect((await failure(admin("sub", "00000000-0000-4000-8000-000000000000"))).name).toBe(
      "InvalidParameterException",
    );
    expect((await failure(admin("custom:nope", "x"))).name).toBe("InvalidParameterException");
    await admin("custom:tier", "gold");
    const user = await h.client.send(
      new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: email }),
    );
    const attributes = Object.fromEntries(
      (user.UserAttributes ?? []).map((a) => [a.Name, a.Value]),
    );
    expect(attributes).toMatchObject({
      email,
      email_verified: "true",
      "custom:plan": "gold",
      "custom:tier": "gold",
    });
  });
});

describe("what an app client may read", () => {
  it("GetUser and the ID token carry only its ReadAttributes (and sub)", async () => {
    const email = uniqueEmail("read");
    await signUpAndConfirm(h, email, {
      given_name: "Ada",
      family_name: "Lovelace",
      "custom:tier": "gold",
    });
    const restricted = await session(email, RESTRICTED);
    const user = await h.client.send(new GetUserCommand({ AccessToken: restricted.AccessToken }));
    expect((user.UserAttributes ?? []).map((a) => a.Name).sort()).toEqual(
      ["custom:tier", "email", "given_name", "sub"].sort(),
    );
    const id = decodeJwt(restricted.IdToken);
    expect(id).toMatchObject({ email, given_name: "Ada", "custom:tier": "gold" });
    expect(id.family_name).toBeUndefined();
    expect(id.email_verified).toBeUndefined();

    const full = decodeJwt((await session(email)).IdToken);
    expect(full).toMatchObject({ family_name: "Lovelace", email_verified: true });
  });
});
