import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  type ListUsersCommandOutput,
  paginateListUsers,
} from "@aws-sdk/client-cognito-identity-provider";
import { signIn, signOut } from "aws-amplify/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrustedOrigins } from "../src/local-safety";
import { type MailMessage, startMailboxServer } from "../src/mailbox";
import { configureAmplifyInNode } from "../testing/amplify-node";
import {
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

afterAll(async () => {
  await h?.stop();
});

describe("the pool's settings", () => {
  it("is created from its spec: email as username, password policy, web client flows", async () => {
    const { UserPool } = await h.client.send(
      new DescribeUserPoolCommand({ UserPoolId: h.pool.userPoolId }),
    );
    expect(UserPool?.Name).toBe("userprofile-local");
    expect(UserPool?.UsernameAttributes).toEqual(["email"]);
    expect(UserPool?.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 8,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    const { UserPoolClient } = await h.client.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: h.pool.userPoolId,
        ClientId: h.pool.userPoolClientId,
      }),
    );
    expect(UserPoolClient?.ExplicitAuthFlows).toEqual([
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ]);
    expect(UserPoolClient?.ClientSecret).toBeUndefined();
  });

  it.each([
    ["Sh0rt!", "Password not long enough"],
    ["alllower-case-1", "Password must have uppercase characters"],
    ["ALLUPPER-CASE-1", "Password must have lowercase characters"],
    ["No-Numbers-Here", "Password must have numeric characters"],
    ["NoSymbols12345", "Password must have symbol characters"],
  ])("rejects %s on SignUp: %s", async (password, reason) => {
    const email = uniqueEmail("policy");
    const error = await failure(signUp(h, email, {}, password));
    expect(error).toEqual({
      name: "InvalidPasswordException",
      message: `Password did not conform with policy: ${reason}`,
    });
    expect(h.mailbox.messagesFor(email)).toEqual([]);
  });

  it("rejects a password under 6 characters as an invalid parameter, as the API does", async () => {
    const error = await failure(signUp(h, uniqueEmail("tiny"), {}, "Aa1!"));
    expect(error.name).toBe("InvalidParameterException");
  });

  it("uses the email as username and the sub as the stored Username", async () => {
    expect((await failure(signUp(h, "not-an-email"))).name).toBe("InvalidParameterException");
    const email = uniqueEmail("alias");
    const { UserSub } = await signUp(h, email);
    const user = await h.client.send(
      new AdminGetUserCommand({ UserPoolId: h.pool.userPoolId, Username: email }),
    );
    expect(user.Username).toBe(UserSub);
    expect((await failure(signUp(h, email))).name).toBe("UsernameExistsException");
  });

  it("serves the JWKS and a discovery document beside it, naming AWS's issuer", async () => {
    expect(h.pool.issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${h.pool.userPoolId}`);
    expect(h.pool.jwksUrl).toBe(`${h.pool.endpoint}/${h.pool.userPoolId}/.well-known/jwks.json`);
    const jwks = (await (await fetch(h.pool.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys).toHaveLength(2);
    const discovery = await (
      await fetch(`${h.pool.endpoint}/${h.pool.userPoolId}/.well-known/openid-configuration`)
    ).json();
    expect(discovery).toMatchObject({ issuer: h.pool.issuer, jwks_uri: h.pool.jwksUrl });
    const unknown = await fetch(`${h.pool.endpoint}/${REGION}_Nope12345/.well-known/jwks.json`);
    expect(unknown.status).toBe(404);
  });
});

describe("the mailbox", () => {
  it("records every code, prints a line for each and serves them over HTTP, oldest first", async () => {
    const origins = new TrustedOrigins();
    origins.add("http://localhost:5173/");
    const server = await startMailboxServer(h.mailbox, { port: 0, origins });
    try {
      const email = uniqueEmail("mail+tag");
      await signUp(h, email);
      const signupCode = latestCode(h.mailbox, email);
      await h.client.send(
        new ConfirmSignUpCommand({
          ClientId: h.pool.userPoolClientId,
          Username: email,
          ConfirmationCode: signupCode,
        }),
      );
      const { ForgotPasswordCommand } = await import("@aws-sdk/client-cognito-identity-provider");
      await h.client.send(
        new ForgotPasswordCommand({ ClientId: h.pool.userPoolClientId, Username: email }),
      );

      const response = await fetch(`${server.url}/${encodeURIComponent(email.toUpperCase())}`, {
        headers: { Origin: "http://localhost:5173" },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect(response.headers.get("vary")).toBe("Origin");
      const messages = (await response.json()) as MailMessage[];
      expect(messages.map(({ to, kind }) => ({ to, kind }))).toEqual([
        { to: email, kind: "signup" },
        { to: email, kind: "forgot-password" },
      ]);
      expect(messages[0]?.code).toBe(signupCode);
      expect(messages.every((message) => /^\d{6}$/.test(message.code))).toBe(true);
      expect(Date.parse(messages[0]?.sentAt ?? "")).toBeLessThanOrEqual(
        Date.parse(messages[1]?.sentAt ?? ""),
      );
      expect(h.logs).toContain(`mailbox: signup code for ${email}: ${signupCode}`);

      const unknown = await fetch(`${server.url}/${encodeURIComponent("nobody@example.com")}`);
      expect(await unknown.json()).toEqual([]);
      const preflight = await fetch(`${server.url}/x`, {
        method: "OPTIONS",
        headers: {
          Origin: "http://localhost:5173",
          "Access-Control-Request-Method": "GET",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");

      // Any other page gets nothing it could read: not the codes, not a CORS header.
      for (const origin of ["https://evil.example", "http://localhost:5174", "null"]) {
        const foreign = await fetch(`${server.url}/${encodeURIComponent(email)}`, {
          headers: { Origin: origin },
        });
        expect(foreign.status, origin).toBe(403);
        expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
        const refusal = (await foreign.json()) as { __type: string; message: string };
        expect(refusal.__type).toBe("ForbiddenOriginException");
        expect(JSON.stringify(refusal)).not.toContain(signupCode);
      }
    } finally {
      await server.stop();
    }
  });
});

describe("load and persistence", () => {
  it("keeps all 50 users of 50 concurrent sign-ups and confirmations, across a restart", async () => {
    const emails = Array.from({ length: 50 }, () => uniqueEmail("load"));
    const before = h.lambda.invocations.length;
    await Promise.all(emails.map((email) => signUpAndConfirm(h, email)));
    expect(h.lambda.invocations.length - before).toBe(50);

    const confirmedEmails = async () => {
      const confirmed = new Set<string | undefined>();
      for await (const page of paginateListUsers(
        { client: h.client },
        { UserPoolId: h.pool.userPoolId, Filter: 'cognito:user_status = "CONFIRMED"' },
      )) {
        for (const user of page.Users ?? []) {
          confirmed.add(user.Attributes?.find((a) => a.Name === "email")?.Value);
        }
      }
      return emails.filter((email) => confirmed.has(email));
    };
    expect(await confirmedEmails()).toHaveLength(50);
    await h.restart();
    expect(await confirmedEmails()).toHaveLength(50);
  });

  it("keeps the pool id, client id and users across a restart; they still sign in with SRP", async () => {
    const email = uniqueEmail("restart");
    await signUpAndConfirm(h, email);
    const { userPoolId, userPoolClientId } = h.pool;
    await h.restart();
    expect(h.pool.userPoolId).toBe(userPoolId);
    expect(h.pool.userPoolClientId).toBe(userPoolClientId);
    configureAmplifyInNode({ ...h.pool, cognitoEndpoint: h.pool.endpoint });
    const result = await signIn({ username: email, password: PASSWORD });
    expect(result.isSignedIn).toBe(true);
    await signOut();
  });
});

describe("ListUsers", () => {
  const prefix = `pages.${process.pid}.${Date.now()}`;
  const byPrefix = `email ^= "${prefix}"`;
  const emails = Array.from({ length: 130 }, (_, i) => `${prefix}.${i}@example.com`);

  beforeAll(async () => {
    for (const email of emails) {
      await h.client.send(
        new AdminCreateUserCommand({
          UserPoolId: h.pool.userPoolId,
          Username: email,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "given_name", Value: "Page" },
          ],
        }),
      );
    }
  });

  async function allPages(request: { Limit?: number; AttributesToGet?: string[] }) {
    const pages: ListUsersCommandOutput[] = [];
    let token: string | undefined;
    do {
      const page = await h.client.send(
        new ListUsersCommand({
          UserPoolId: h.pool.userPoolId,
          Filter: byPrefix,
          PaginationToken: token,
          ...request,
        }),
      );
      pages.push(page);
      token = page.PaginationToken;
    } while (token);
    return pages;
  }

  const emailsOf = (pages: ListUsersCommandOutput[]) =>
    pages.flatMap((page) =>
      (page.Users ?? []).map((user) => user.Attributes?.find((a) => a.Name === "email")?.Value),
    );

  it("returns at most 60 users a call and a PaginationToken while more remain, as Cognito does", async () => {
    const pages = await allPages({});
    expect(pages.map((page) => page.Users?.length)).toEqual([60, 60, 10]);
    expect(pages.map((page) => page.PaginationToken === undefined)).toEqual([false, false, true]);
    expect(emailsOf(pages).sort()).toEqual([...emails].sort());
  });

  it("honours a smaller Limit and refuses one over 60", async () => {
    const pages = await allPages({ Limit: 50 });
    expect(pages.map((page) => page.Users?.length)).toEqual([50, 50, 30]);
    expect(new Set(emailsOf(pages)).size).toBe(130);
    const error = await failure(
      h.client.send(new ListUsersCommand({ UserPoolId: h.pool.userPoolId, Limit: 61 })),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toContain("less than or equal to 60");
  });

  it("returns only the AttributesToGet", async () => {
    const [first] = await allPages({ AttributesToGet: ["sub", "email"] });
    for (const user of first?.Users ?? []) {
      expect(user.Attributes?.map((a) => a.Name).sort()).toEqual(["email", "sub"]);
    }
  });

  it("neither skips nor repeats a user when users are added between pages", async () => {
    const first = await h.client.send(
      new ListUsersCommand({ UserPoolId: h.pool.userPoolId, Filter: byPrefix }),
    );
    const late = `${prefix}.late@example.com`;
    await h.client.send(
      new AdminCreateUserCommand({
        UserPoolId: h.pool.userPoolId,
        Username: late,
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: late }],
      }),
    );
    const rest: ListUsersCommandOutput[] = [];
    let token = first.PaginationToken;
    while (token) {
      const page = await h.client.send(
        new ListUsersCommand({
          UserPoolId: h.pool.userPoolId,
          Filter: byPrefix,
          PaginationToken: token,
        }),
      );
      rest.push(page);
      token = page.PaginationToken;
    }
    const seen = emailsOf([first, ...rest]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((email) => emails.includes(email as string))).toHaveLength(130);
  });

  it("refuses a PaginationToken it did not issue", async () => {
    const error = await failure(
      h.client.send(
        new ListUsersCommand({ UserPoolId: h.pool.userPoolId, PaginationToken: "not-a-token" }),
      ),
    );
    expect(error.name).toBe("InvalidParameterException");
  });
});
