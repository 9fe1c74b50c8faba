import { request as httpRequest } from "node:http";
import { ListUsersCommand } from "@aws-sdk/client-cognito-identity-provider";
import { apiRoutes } from "@userprofile/functions/api/routes";
import { postConfirmationFunction } from "@userprofile/functions/definitions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessKeyIdFor } from "../src/iam";
import { isLoopbackHost } from "../src/local-safety";
import { PASSWORD, rawItem, signUp, uniqueEmail } from "./flows";
import { signedHeaders } from "./signed";
import { functionWithHandler, startLocalTarget, type Target } from "./target";

let target: Target;
let ports: Record<string, string>;

beforeAll(async () => {
  target = await startLocalTarget();
  const outputs = target.local?.stack.outputs as Record<string, string>;
  ports = {
    api: outputs.apiUrl as string,
    cognito: outputs.cognitoEndpoint as string,
    dynamodb: outputs.dynamodbEndpoint as string,
    lambda: outputs.lambdaEndpoint as string,
    mailbox: outputs.mailboxUrl as string,
    control: outputs.controlUrl as string,
  };
});

afterAll(async () => {
  await target?.stop();
});

/** A request with headers fetch would not let a test set (Host). */
function send(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>(
    (resolve, reject) => {
      const request = httpRequest(
        {
          host: hostname,
          port,
          method: init.method ?? "GET",
          path: init.path ?? "/",
          headers: init.headers,
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk) => {
            text += chunk;
          });
          response.on("end", () => {
            let json: unknown = text;
            try {
              json = JSON.parse(text);
            } catch {}
            resolve({ status: response.statusCode ?? 0, headers: response.headers, json });
          });
        },
      );
      request.on("error", reject);
      request.end(init.body);
    },
  );
}

const trigger = () =>
  functionWithHandler(target.local?.stack.app as never, postConfirmationFunction.handler);
const invocations = (name: string) => `/2015-03-31/functions/${name}/invocations`;

describe("every port answers only requests addressed to a loopback name", () => {
  it.each(["api", "cognito", "dynamodb", "lambda", "mailbox", "control"])(
    "%s refuses a foreign Host (DNS rebinding) and serves a loopback one",
    async (name) => {
      const url = ports[name] as string;
      const { port } = new URL(url);
      for (const host of [
        "evil.example",
        `evil.example:${port}`,
        `127.0.0.1.evil.example:${port}`,
        "localhost.evil.example",
      ]) {
        const reply = await send(url, { headers: { host } });
        expect(reply.status, host).toBe(403);
        expect(reply.json).toMatchObject({ __type: "ForbiddenHostException" });
      }
      for (const host of [
        `localhost:${port}`,
        `127.0.0.1:${port}`,
        `[::1]:${port}`,
        `app.localhost:${port}`,
      ]) {
        const reply = await send(url, { headers: { host } });
        expect(reply.json, host).not.toMatchObject({ __type: "ForbiddenHostException" });
      }
    },
  );

  it("knows the loopback names", () => {
    expect(isLoopbackHost("LOCALHOST:1")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("[::1].evil.example")).toBe(false);
    expect(isLoopbackHost("127.0.0.2")).toBe(false);
    expect(isLoopbackHost("localhost.")).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
  });
});

describe("pages on other sites", () => {
  it.each(["cognito", "dynamodb", "lambda", "mailbox", "control"])(
    "%s: a request from https://evil.example is refused, with no CORS header to read it by",
    async (name) => {
      for (const method of ["GET", "OPTIONS", "POST"]) {
        const reply = await fetch(ports[name] as string, {
          method,
          headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
        });
        expect(reply.status, method).toBe(403);
        expect(reply.headers.get("access-control-allow-origin")).toBeNull();
        expect(await reply.json()).toMatchObject({ __type: "ForbiddenOriginException" });
      }
    },
  );

  it("the control takes JSON only: a text/plain POST (no preflight needed) changes nothing", async () => {
    for (const [path, body] of [
      ["/clock", '{"advanceSeconds":86400}'],
      ["/trigger-failures", '{"count":3}'],
    ]) {
      for (const type of ["text/plain", "application/x-www-form-urlencoded", undefined]) {
        const reply = await fetch(`${ports.control}${path}`, {
          method: "POST",
          ...(type ? { headers: { "content-type": type } } : {}),
          body,
        });
        expect(reply.status, `${path} ${type}`).toBe(415);
        expect(await reply.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
      }
    }
    expect(await (await fetch(`${ports.control}/clock`)).json()).toMatchObject({
      offsetSeconds: 0,
    });
    expect(await (await fetch(`${ports.control}/trigger-failures`)).json()).toEqual({
      remaining: 0,
    });
  });
});

describe("what needs AWS credentials on AWS needs a signed request", () => {
  const poolCall = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(ports.cognito as string, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it("an unsigned ListUsers is refused; a signed one lists the users", async () => {
    const email = uniqueEmail("unsigned");
    await signUp(target, email);
    for (const headers of [{}, { authorization: "Bearer x.y.z" }] as Record<string, string>[]) {
      const reply = await poolCall("ListUsers", { UserPoolId: target.userPoolId }, headers);
      expect(reply.status).toBe(403);
      expect(reply.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
      const text = await reply.text();
      expect(JSON.parse(text)).toEqual({
        __type: "MissingAuthenticationTokenException",
        message: "Missing Authentication Token",
      });
      expect(text).not.toContain(email);
    }
    const signed = await target.cognito.send(
      new ListUsersCommand({ UserPoolId: target.userPoolId, Filter: `email = "${email}"` }),
    );
    expect(signed.Users).toHaveLength(1);
  });

  it("public calls stay unsigned, as on AWS", async () => {
    const email = uniqueEmail("public");
    const reply = await poolCall("SignUp", {
      ClientId: target.userPoolClientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: email }],
    });
    expect(reply.status).toBe(200);
    const unknown = await poolCall("InitiateAuth", {
      ClientId: target.userPoolClientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: email, SRP_A: "1" },
    });
    expect(unknown.headers.get("x-amzn-errortype")).not.toBe("MissingAuthenticationTokenException");
  });

  it("every DynamoDB call is signed", async () => {
    for (const headers of [{}, { authorization: "Basic eDp5" }] as Record<string, string>[]) {
      const reply = await fetch(ports.dynamodb as string, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": "DynamoDB_20120810.Scan",
          ...headers,
        },
        body: JSON.stringify({ TableName: target.usersTable }),
      });
      expect(reply.status).toBe(400);
      expect((await reply.json()) as object).toMatchObject({
        __type: "com.amazon.coral.service#MissingAuthenticationTokenException",
      });
    }
  });
});

describe("the Lambda invoke port takes only what Lambda would", () => {
  const forged = (sub: string) => ({
    version: "1",
    triggerSource: "PostConfirmation_ConfirmSignUp",
    region: target.region,
    userPoolId: target.userPoolId,
    userName: sub,
    callerContext: { awsSdkVersion: "x", clientId: target.userPoolClientId },
    request: {
      userAttributes: { sub, email: "victim@example.com", "cognito:user_status": "CONFIRMED" },
    },
    response: {},
  });

  it("an unsigned forged event reaches neither the trigger nor an API function", async () => {
    const sub = "00000000-0000-4000-8000-000000000001";
    const reply = await fetch(`${ports.lambda}${invocations(trigger().name)}`, {
      method: "POST",
      body: JSON.stringify(forged(sub)),
    });
    expect(reply.status).toBe(403);
    expect(reply.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    expect(await rawItem(target, sub)).toBeUndefined();

    const route = apiRoutes.find((candidate) => candidate.method === "GET");
    const api = functionWithHandler(target.local?.stack.app as never, route?.handler as string);
    const madeUp = { requestContext: { authorizer: { jwt: { claims: { sub } } } } };
    const toApi = await fetch(`${ports.lambda}${invocations(api.name)}`, {
      method: "POST",
      body: JSON.stringify(madeUp),
    });
    expect(toApi.status).toBe(403);
  });

  it("a function's own key may invoke only what its role or the resource policy allows", async () => {
    const route = apiRoutes.find((candidate) => candidate.method === "GET");
    const api = functionWithHandler(target.local?.stack.app as never, route?.handler as string);
    const sub = "00000000-0000-4000-8000-000000000002";
    const reply = await fetch(`${ports.lambda}${invocations(trigger().name)}`, {
      method: "POST",
      headers: signedHeaders("lambda", accessKeyIdFor(api.name)),
      body: JSON.stringify(forged(sub)),
    });
    expect(reply.status).toBe(403);
    expect(reply.headers.get("x-amzn-errortype")).toBe("AccessDeniedException");
    expect(((await reply.json()) as { message: string }).message).toMatch(
      /is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:/,
    );
    expect(await rawItem(target, sub)).toBeUndefined();
  });

  it("a developer's own credentials may invoke any function, as an administrator can on AWS", async () => {
    const reply = await fetch(`${ports.lambda}${invocations(trigger().name)}`, {
      method: "POST",
      headers: signedHeaders("lambda"),
      body: JSON.stringify({
        triggerSource: "PostConfirmation_ConfirmForgotPassword",
        request: {},
      }),
    });
    expect(reply.status).toBe(200);
  });
});

describe("a body nested 200,000 levels deep", () => {
  const deep = "[".repeat(200_000) + "]".repeat(200_000);
  const deepObject = `{"ClientId":"x","ClientMetadata":${deep}}`;

  it("the user pool answers SerializationException", async () => {
    for (const body of [deep, deepObject]) {
      const reply = await fetch(ports.cognito as string, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.SignUp",
        },
        body,
      });
      expect(reply.status).toBe(400);
      expect(reply.headers.get("x-amzn-errortype")).toBe("SerializationException");
    }
  });

  it("DynamoDB answers SerializationException", async () => {
    const reply = await fetch(ports.dynamodb as string, {
      method: "POST",
      headers: {
        ...signedHeaders("dynamodb"),
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.PutItem",
      },
      body: `{"TableName":"${target.usersTable}","Item":{"UserID":{"S":"x"},"deep":${'{"M":{"a":'.repeat(20_000)}{"S":"x"}${"}}".repeat(20_000)}}}`,
    });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { __type: string }).__type).toMatch(/SerializationException$/);
    expect(await rawItem(target, "x")).toBeUndefined();
  });
});
