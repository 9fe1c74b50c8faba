import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import {
  api,
  confirm,
  errorName,
  latestCode,
  mailFor,
  PASSWORD,
  rawItem,
  signUp,
  signUpAndConfirm,
  uniqueEmail,
} from "./flows";
import { startTarget, type Target } from "./target";

let target: Target;
/** Needs the local mailbox or the emulator's signing key: skipped against a deployed stage. */
const localOnly = it.runIf(process.env.TARGET_OUTPUTS === undefined);

beforeAll(async () => {
  target = await startTarget();
  configureAmplifyInNode(target);
});

afterAll(async () => {
  await target?.stop();
});

describe("sign-up → trigger → profile", () => {
  it("stores exactly the seed's attributes, and the API serves them to ID and access tokens", async () => {
    const email = uniqueEmail("names");
    const sub = await signUp(target, email, { given_name: "Ada", family_name: "Lovelace" });
    expect(await rawItem(target, sub)).toBeUndefined();
    await confirm(target, email);

    const item = await rawItem(target, sub);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ["CreatedAt", "Email", "UpdatedAt", "UserID", "firstName", "lastName"].sort(),
    );
    expect(item).toMatchObject({
      UserID: { S: sub },
      Email: { S: email },
      firstName: { S: "Ada" },
      lastName: { S: "Lovelace" },
    });
    expect(new Date(item?.CreatedAt?.S ?? "").toISOString()).toBe(item?.CreatedAt?.S);

    const { idToken, accessToken } = await srpSignIn(email, PASSWORD);
    const expected = {
      userId: sub,
      email,
      firstName: "Ada",
      lastName: "Lovelace",
      createdAt: item?.CreatedAt?.S,
      updatedAt: item?.UpdatedAt?.S,
    };
    const withId = await api(target, "GET", "/me", { token: idToken });
    expect(withId).toMatchObject({ status: 200, body: expected });
    const withAccess = await api(target, "GET", "/me", { token: accessToken });
    expect(withAccess).toMatchObject({ status: 200, body: expected });
  });

  it("works with email and password only", async () => {
    const email = uniqueEmail("nonames");
    const sub = await signUpAndConfirm(target, email);
    expect(Object.keys((await rawItem(target, sub)) ?? {}).sort()).toEqual([
      "CreatedAt",
      "Email",
      "UpdatedAt",
      "UserID",
    ]);
    const { idToken } = await srpSignIn(email, PASSWORD);
    expect((await api(target, "GET", "/me", { token: idToken })).body).toMatchObject({
      firstName: null,
      lastName: null,
    });
  });

  localOnly("a replayed confirmation is refused and does not overwrite the profile", async () => {
    const email = uniqueEmail("replay");
    const sub = await signUpAndConfirm(target, email, { given_name: "First" });
    const before = await rawItem(target, sub);
    const code = await latestCode(target, email, "signup");
    const replay = target.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: target.userPoolClientId,
        Username: email,
        ConfirmationCode: code,
      }),
    );
    expect(await errorName(replay)).toBe("NotAuthorizedException");
    expect(await rawItem(target, sub)).toEqual(before);
  });

  localOnly("a password reset leaves the profile untouched", async () => {
    const email = uniqueEmail("reset");
    const sub = await signUpAndConfirm(target, email, { given_name: "Kept" });
    const { idToken } = await srpSignIn(email, PASSWORD);
    await api(target, "PATCH", "/me", {
      token: idToken,
      body: JSON.stringify({ lastName: "Edited" }),
    });
    const before = await rawItem(target, sub);

    await target.cognito.send(
      new ForgotPasswordCommand({ ClientId: target.userPoolClientId, Username: email }),
    );
    const newPassword = "An0ther-Secret!";
    await target.cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: target.userPoolClientId,
        Username: email,
        ConfirmationCode: await latestCode(target, email, "forgot-password"),
        Password: newPassword,
      }),
    );
    expect(await rawItem(target, sub)).toEqual(before);
    expect(await errorName(srpSignIn(email, PASSWORD))).toBe("NotAuthorizedException");
    await srpSignIn(email, newPassword);
  });

  localOnly(
    "the deployed-stage confirmation leaves the user as the emailed code would",
    async () => {
      // What this suite does on AWS, where the code can't be read: AdminConfirmSignUp
      // (which verifies nothing) followed by marking the address verified.
      const email = uniqueEmail("admin-confirmed");
      const sub = await signUp(target, email);
      await confirm({ ...target, kind: "deployed" }, email);
      const user = await target.cognito.send(
        new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: sub }),
      );
      expect(user.UserStatus).toBe("CONFIRMED");
      expect(user.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
      expect(await rawItem(target, sub)).toMatchObject({ UserID: { S: sub } });
      await target.cognito.send(
        new ForgotPasswordCommand({ ClientId: target.userPoolClientId, Username: email }),
      );
      expect(await latestCode(target, email, "forgot-password")).toMatch(/^\d{6}$/);
    },
  );

  it("50 concurrent sign-ups give exactly 50 profiles", async () => {
    const emails = Array.from({ length: 50 }, (_, i) => uniqueEmail(`crowd${i}`));
    const subs = await Promise.all(emails.map((email) => signUpAndConfirm(target, email)));
    expect(new Set(subs).size).toBe(50);
    const items = await Promise.all(subs.map((sub) => rawItem(target, sub)));
    expect(items.filter(Boolean)).toHaveLength(50);
    const { Items = [] } = await target.dynamodb.send(
      new ScanCommand({ TableName: target.usersTable }),
    );
    const ours = Items.filter((item) => subs.includes(item.UserID?.S ?? ""));
    expect(ours).toHaveLength(50);
  });
});

describe("the mailbox", () => {
  localOnly("lists every code sent to an address, oldest first, and [] for strangers", async () => {
    const email = uniqueEmail("mail");
    await signUp(target, email);
    const mail = await mailFor(target, email);
    expect(mail).toEqual([
      {
        to: email,
        kind: "signup",
        code: expect.stringMatching(/^\d{6}$/),
        sentAt: expect.any(String),
      },
    ]);
    expect(await mailFor(target, uniqueEmail("nobody"))).toEqual([]);
  });
});

describe("the profile API", () => {
  let idToken: string;
  let sub: string;
  const email = uniqueEmail("api");

  beforeAll(async () => {
    sub = await signUpAndConfirm(target, email, { given_name: "Grace" });
    ({ idToken } = await srpSignIn(email, PASSWORD));
  });

  it("PATCH updates names and bumps UpdatedAt without a second item", async () => {
    const before = await rawItem(target, sub);
    const result = await api(target, "PATCH", "/me", {
      token: idToken,
      body: JSON.stringify({ firstName: "  Grace B. ", lastName: "Hopper" }),
    });
    expect(result).toMatchObject({
      status: 200,
      body: {
        userId: sub,
        firstName: "Grace B.",
        lastName: "Hopper",
        createdAt: before?.CreatedAt?.S,
      },
    });
    expect(result.body?.updatedAt).not.toBe(before?.UpdatedAt?.S);
    const cleared = await api(target, "PATCH", "/me", {
      token: idToken,
      body: JSON.stringify({ lastName: null }),
    });
    expect(cleared.body).toMatchObject({ firstName: "Grace B.", lastName: null });
  });

  it.each([
    ["non-JSON", "{oops", "invalid_json"],
    ["an unknown field", JSON.stringify({ role: "admin" }), "unknown_field"],
    ["a wrong type", JSON.stringify({ firstName: 7 }), "invalid_type"],
    ["an empty name", JSON.stringify({ firstName: "" }), "invalid_name"],
    ["a NUL in a name", JSON.stringify({ firstName: "Ada\u0000" }), "invalid_name"],
    ["a 5 KB body", JSON.stringify({ firstName: "a".repeat(5000) }), "body_too_large"],
  ])("PATCH with %s → 400", async (_, body, code) => {
    const result = await api(target, "PATCH", "/me", { token: idToken, body });
    expect(result.status).toBe(400);
    expect(result.headers.get("content-type")).toContain("application/json");
    expect(result.body).toEqual({ error: { code, message: expect.any(String) } });
  });

  it.each([
    [
      "bytes that are not UTF-8",
      "application/json",
      Buffer.concat([
        Buffer.from('{"firstName":"Gr'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
      "invalid_encoding",
    ],
    [
      "application/json-seq",
      "application/json-seq",
      Buffer.from('{"firstName":"Seq"}'),
      "unsupported_media_type",
    ],
    [
      "a bidi override in a name",
      "application/json; charset=utf-8",
      Buffer.from(JSON.stringify({ lastName: "\u202eeppoH" })),
      "invalid_name",
    ],
  ])("PATCH with %s → 400 and the profile unchanged", async (_, contentType, bytes, code) => {
    const before = await rawItem(target, sub);
    const response = await fetch(`${target.apiUrl}/me`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${idToken}`, "content-type": contentType },
      body: new Uint8Array(bytes),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(await rawItem(target, sub)).toEqual(before);
  });

  it("answers unknown routes and wrong methods with a JSON 404", async () => {
    for (const [method, path] of [
      ["GET", "/nope"],
      ["POST", "/me"],
      ["PUT", "/me"],
    ] as const) {
      const result = await api(target, method, path, { token: idToken });
      expect(result.status).toBe(404);
      expect(result.body).toEqual({ message: "Not Found" });
    }
  });

  it("answers CORS preflights for the web origin, listing authorization explicitly", async () => {
    const preflight = await fetch(`${target.apiUrl}/me`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "PATCH",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-headers")?.split(",")).toEqual(
      expect.arrayContaining(["authorization", "content-type"]),
    );
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PATCH");
    const foreign = await fetch(`${target.apiUrl}/me`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});
