import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureAmplifyInNode, srpSignIn } from "../testing/amplify-node";
import { api, errorName, latestCode, PASSWORD, rawItem, signUp, uniqueEmail } from "./flows";
import { startLocalTarget, type Target } from "./target";

let target: Target;
let controlUrl: string;

beforeAll(async () => {
  target = await startLocalTarget();
  controlUrl = target.local?.stack.outputs.controlUrl as string;
  configureAmplifyInNode(target);
});

afterAll(async () => {
  await target?.stop();
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body),
        }),
  });
  return {
    status: response.status,
    allow: response.headers.get("allow"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const confirm = async (email: string) =>
  target.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: target.userPoolClientId,
      Username: email,
      ConfirmationCode: await latestCode(target, email, "signup"),
    }),
  );

describe("the local control", () => {
  it("is in outputs.json as controlUrl, on 127.0.0.1", () => {
    expect(controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("moves the clock forward, cumulatively, and back to real time; codes expire by it", async () => {
    const before = Date.now();
    const initial = await control("GET", "/clock");
    expect(initial).toMatchObject({ status: 200, body: { offsetSeconds: 0 } });
    expect(Date.parse(initial.body.now as string)).toBeGreaterThanOrEqual(before - 1000);

    const email = uniqueEmail("clock");
    await signUp(target, email);
    const day = await control("POST", "/clock", { advanceSeconds: 86_400 });
    expect(day).toMatchObject({ status: 200, body: { offsetSeconds: 86_400 } });
    expect(Date.parse(day.body.now as string)).toBeGreaterThanOrEqual(before + 86_400_000);
    expect((await control("POST", "/clock", { advanceSeconds: 1.5 })).body.offsetSeconds).toBe(
      86_401.5,
    );
    expect(await errorName(confirm(email))).toBe("ExpiredCodeException");

    const reset = await control("DELETE", "/clock");
    expect(reset).toMatchObject({ status: 200, body: { offsetSeconds: 0 } });
    expect(Math.abs(Date.parse(reset.body.now as string) - Date.now())).toBeLessThan(5_000);
    await confirm(email);
  });

  it("makes the next n Post Confirmation attempts fail as a failing function would; the profile heals", async () => {
    expect(await control("POST", "/trigger-failures", { count: 2 })).toMatchObject({
      status: 200,
      body: { remaining: 2 },
    });
    expect((await control("GET", "/trigger-failures")).body).toEqual({ remaining: 2 });

    const first = uniqueEmail("failing");
    const firstSub = await signUp(target, first, { given_name: "First" });
    await expect(confirm(first)).rejects.toMatchObject({
      name: "UserLambdaValidationException",
      message: expect.stringMatching(/^PostConfirmation failed with error /),
    });
    expect((await control("GET", "/trigger-failures")).body).toEqual({ remaining: 1 });

    const second = uniqueEmail("failing-admin");
    const secondSub = await signUp(target, second);
    expect(
      await errorName(
        target.cognito.send(
          new AdminConfirmSignUpCommand({ UserPoolId: target.userPoolId, Username: second }),
        ),
      ),
    ).toBe("UserLambdaValidationException");
    expect((await control("GET", "/trigger-failures")).body).toEqual({ remaining: 0 });

    for (const sub of [firstSub, secondSub]) {
      const user = await target.cognito.send(
        new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: sub }),
      );
      expect(user.UserStatus).toBe("CONFIRMED");
      expect(await rawItem(target, sub)).toBeUndefined();
    }

    const third = uniqueEmail("working");
    const thirdSub = await signUp(target, third);
    await confirm(third);
    expect(await rawItem(target, thirdSub)).toMatchObject({ UserID: { S: thirdSub } });

    const { idToken } = await srpSignIn(first, PASSWORD);
    const healed = await api(target, "GET", "/me", { token: idToken });
    expect(healed).toMatchObject({ status: 200, body: { userId: firstSub, firstName: "First" } });
  });

  it("sets, not adds, the failure count, and 0 clears it", async () => {
    await control("POST", "/trigger-failures", { count: 5 });
    expect((await control("POST", "/trigger-failures", { count: 1 })).body).toEqual({
      remaining: 1,
    });
    expect((await control("POST", "/trigger-failures", { count: 0 })).body).toEqual({
      remaining: 0,
    });
  });

  it.each([
    ["/clock", { advanceSeconds: -1 }, "invalid_value"],
    ["/clock", { advanceSeconds: "60" }, "invalid_value"],
    ["/clock", { advanceSeconds: null }, "invalid_value"],
    ["/clock", { advanceSeconds: 1e12 }, "invalid_value"],
    ["/clock", {}, "missing_field"],
    ["/clock", { advanceSeconds: 1, extra: true }, "unknown_field"],
    ["/clock", "{oops", "invalid_json"],
    ["/clock", "[60]", "invalid_json"],
    ["/clock", "", "invalid_json"],
    ["/clock", JSON.stringify({ advanceSeconds: 1, pad: "x".repeat(5000) }), "body_too_large"],
    ["/trigger-failures", { count: 101 }, "invalid_value"],
    ["/trigger-failures", { count: -1 }, "invalid_value"],
    ["/trigger-failures", { count: 1.5 }, "invalid_value"],
    ["/trigger-failures", { count: "2" }, "invalid_value"],
    ["/trigger-failures", { remaining: 2 }, "unknown_field"],
  ])("POST %s with %j → 400 %s, and nothing changes", async (path, body, code) => {
    const result = await control("POST", path, body);
    expect(result).toMatchObject({
      status: 400,
      body: { error: { code, message: expect.any(String) } },
    });
    expect((await control("GET", "/clock")).body.offsetSeconds).toBe(0);
    expect((await control("GET", "/trigger-failures")).body).toEqual({ remaining: 0 });
  });

  it("answers unknown paths with 404 and other methods with 405, in JSON", async () => {
    expect(await control("GET", "/nope")).toMatchObject({
      status: 404,
      body: { error: { code: "not_found" } },
    });
    expect(await control("GET", "/")).toMatchObject({ status: 404 });
    const wrongMethod = await control("PUT", "/clock", { advanceSeconds: 1 });
    expect(wrongMethod).toMatchObject({
      status: 405,
      allow: "GET, POST, DELETE",
      body: { error: { code: "method_not_allowed" } },
    });
    expect((await control("DELETE", "/trigger-failures")).status).toBe(405);
  });
});
