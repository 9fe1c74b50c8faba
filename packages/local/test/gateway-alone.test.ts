import { request as httpRequest } from "node:http";
import type { JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpApi } from "../src/gateway/index";
import {
  apiSpec,
  CLIENT_ID,
  ISSUER,
  jwtAuthorizer,
  type Keys,
  NOW,
  type RecordedEvent,
  recordingLambda,
  route,
  startApi,
  startKeys,
  validClaims,
} from "./gateway-harness";

/**
 * The gateway alone, in this process: what the function receives (payload format 2.0) and
 * how its result reaches the client, as documented in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html.
 * The Lambda service records each event and answers what the test sets, so every field can
 * be checked exactly.
 */

let gateway: HttpApi;
let keys: Keys;
const lambda = recordingLambda();
const invocations = lambda.invocations;
const logs: string[] = [];

beforeAll(async () => {
  keys = await startKeys();
  gateway = await startApi(
    apiSpec([
      route("GET /me", { functionName: "fn-GET", authorizer: jwtAuthorizer }),
      route("PATCH /me", { functionName: "fn-PATCH", authorizer: jwtAuthorizer }),
    ]),
    lambda,
    keys,
    { log: (line) => logs.push(line) },
  );
});

afterAll(async () => {
  await gateway?.stop();
  await keys?.stop();
});

beforeEach(() => lambda.reset());

async function call(path: string, init: RequestInit & { claims?: JWTPayload } = {}) {
  const { claims = validClaims, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (!headers.has("authorization")) {
    headers.set("authorization", `Bearer ${await keys.sign(claims)}`);
  }
  return fetch(`${gateway.url}${path}`, { ...rest, headers });
}

const lastEvent = () => lambda.last().event as RecordedEvent;

describe("the event a function receives (payload format 2.0)", () => {
  it("has the route, raw path and query, lower-case headers and the request context", async () => {
    await call("/me?b=2&a=1&a=3", { headers: { "X-Trace": "t-1", "User-Agent": "probe/1" } });
    expect(invocations.map(({ name }) => name)).toEqual(["fn-GET"]);
    const event = lastEvent();
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /me",
      rawPath: "/me",
      rawQueryString: "b=2&a=1&a=3",
      queryStringParameters: { b: "2", a: "1,3" },
      isBase64Encoded: false,
    });
    expect(event.headers).toMatchObject({ "x-trace": "t-1", "user-agent": "probe/1" });
    expect(event).not.toHaveProperty("body");
    expect(event.requestContext).toMatchObject({
      accountId: expect.stringMatching(/^\d{12}$/),
      apiId: expect.stringMatching(/.+/),
      domainName: new URL(gateway.url).host,
      domainPrefix: "127",
      http: {
        method: "GET",
        path: "/me",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "probe/1",
      },
      routeKey: "GET /me",
      stage: "$default",
      time: "05/Mar/2026:07:08:09 +0000",
      timeEpoch: NOW.getTime(),
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("joins a repeated header's values with commas, as API Gateway does", async () => {
    const url = new URL(`${gateway.url}/me`);
    const token = await keys.sign(validClaims);
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        url,
        { headers: { authorization: token, "x-many": ["a", "b"] } },
        (response) => response.resume().on("end", resolve),
      );
      // Node would keep only the first of two user-agent headers; API Gateway joins them.
      request.setHeader("user-agent", ["one", "two"]);
      request.on("error", reject).end();
    });
    expect(lastEvent().headers).toMatchObject({ "x-many": "a,b", "user-agent": "one,two" });
  });

  it("takes names such as __proto__ and constructor as plain names", async () => {
    await call("/me?__proto__=a&constructor=b&constructor=c", {
      headers: { constructor: "d" },
    });
    const query = lastEvent().queryStringParameters as Record<string, string>;
    expect(Object.entries(query)).toEqual([
      ["__proto__", "a"],
      ["constructor", "b,c"],
    ]);
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(Object.hasOwn(lastEvent().headers, "constructor")).toBe(true);
    expect(lastEvent().headers.constructor).toBe("d");
  });

  it("has an empty userAgent when the request sends no User-Agent", async () => {
    const token = await keys.sign(validClaims);
    await new Promise<void>((resolve, reject) => {
      httpRequest(`${gateway.url}/me`, { headers: { authorization: token } }, (response) =>
        response.resume().on("end", resolve),
      )
        .on("error", reject)
        .end();
    });
    expect(lastEvent().headers).not.toHaveProperty("user-agent");
    expect(lastEvent().requestContext).toMatchObject({ http: { userAgent: "" } });
  });

  it("gives every request its own requestId", async () => {
    await call("/me");
    await call("/me");
    const [first, second] = invocations.map(({ event }) => event.requestContext.requestId);
    expect(first).not.toBe(second);
  });

  it("has no queryStringParameters without a query", async () => {
    await call("/me");
    expect(lastEvent()).not.toHaveProperty("queryStringParameters");
    expect(lastEvent().rawQueryString).toBe("");
  });

  it("hands the verified claims over as strings, arrays as `[a b]`, objects as JSON, nulls left out", async () => {
    await call("/me", {
      claims: {
        ...validClaims,
        "cognito:groups": ["admins", "staff"],
        email_verified: true,
        address: { country: "FR" },
        nickname: null,
        scope: "aws.cognito.signin.user.admin openid",
      },
    });
    expect(lastEvent().requestContext.authorizer?.jwt).toEqual({
      claims: {
        sub: "user-1",
        iss: ISSUER,
        aud: CLIENT_ID,
        exp: String(validClaims.exp),
        iat: String(validClaims.iat),
        token_use: "id",
        "cognito:groups": "[admins staff]",
        email_verified: "true",
        address: '{"country":"FR"}',
        scope: "aws.cognito.signin.user.admin openid",
      },
      // The route lists no authorizationScopes: scopes stay null whatever the token carries.
      scopes: null,
    });
  });

  it("has null scopes when the token has no scope claim", async () => {
    await call("/me");
    expect(lastEvent().requestContext.authorizer?.jwt.scopes).toBeNull();
  });

  it("moves the Cookie header into `cookies`, one entry per cookie", async () => {
    const token = await keys.sign(validClaims);
    await new Promise<void>((resolve, reject) => {
      httpRequest(
        `${gateway.url}/me`,
        { headers: { authorization: token, cookie: ["a=1; b=2;", "c=3"] } },
        (response) => response.resume().on("end", resolve),
      )
        .on("error", reject)
        .end();
    });
    expect(lastEvent().cookies).toEqual(["a=1", "b=2", "c=3"]);
    expect(lastEvent().headers).not.toHaveProperty("cookie");
    await call("/me");
    expect(lastEvent()).not.toHaveProperty("cookies");
  });

  it("has no pathParameters for a route without path variables", async () => {
    await call("/me");
    expect(lastEvent()).not.toHaveProperty("pathParameters");
  });

  it("carries a UTF-8 body as text and any other bytes base64-encoded", async () => {
    await call("/me", { method: "PATCH", body: '{"firstName":"Zoë"}' });
    expect(lastEvent()).toMatchObject({ body: '{"firstName":"Zoë"}', isBase64Encoded: false });
    expect(invocations.at(-1)?.name).toBe("fn-PATCH");
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    await call("/me", { method: "PATCH", body: bytes });
    expect(lastEvent()).toMatchObject({ body: bytes.toString("base64"), isBase64Encoded: true });
  });
});

describe("how the function's result reaches the client", () => {
  it("a structured result: its status, headers and body", async () => {
    lambda.answer = {
      ok: true,
      payload: { statusCode: 201, headers: { "x-made": "yes" }, body: '{"id":1}' },
    };
    const response = await call("/me");
    expect(response.status).toBe(201);
    expect(response.headers.get("x-made")).toBe("yes");
    expect(await response.text()).toBe('{"id":1}');
  });

  it("a base64-encoded body is decoded", async () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    lambda.answer = {
      ok: true,
      payload: { statusCode: 200, body: bytes.toString("base64"), isBase64Encoded: true },
    };
    const response = await call("/me");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("the statuses 200 to 599 pass through", async () => {
    for (const statusCode of [200, 599]) {
      lambda.answer = { ok: true, payload: { statusCode } };
      expect((await call("/me")).status).toBe(statusCode);
    }
  });

  it("a result without a body has an empty body", async () => {
    lambda.answer = { ok: true, payload: { statusCode: 204 } };
    const response = await call("/me");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it.each([{ hello: "world" }, 42, [1, 2], null])(
    "any other value (%j) is sent as JSON with 200",
    async (payload) => {
      lambda.answer = { ok: true, payload };
      const response = await call("/me");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual(payload);
    },
  );

  it('a string is the body itself, as the documented table shows for `"Hello from Lambda!"`', async () => {
    lambda.answer = { ok: true, payload: "Hello from Lambda!" };
    const response = await call("/me");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe("Hello from Lambda!");
  });

  it("cookies become one set-cookie header each", async () => {
    lambda.answer = {
      ok: true,
      payload: { statusCode: 200, cookies: ["a=1; Path=/", "b=2; HttpOnly"], body: "" },
    };
    const response = await call("/me");
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
  });

  it("a 2.0 result's multiValueHeaders are not a 2.0 field and are ignored", async () => {
    lambda.answer = {
      ok: true,
      payload: {
        statusCode: 200,
        headers: { "x-one": "1" },
        multiValueHeaders: { "x-two": ["2"] },
      },
    };
    const response = await call("/me");
    expect(response.headers.get("x-one")).toBe("1");
    expect(response.headers.get("x-two")).toBeNull();
  });

  it.each([
    ["a status that is no HTTP status", { statusCode: 1000 }],
    ["a status past 599", { statusCode: 600 }],
    ["a status below 100", { statusCode: 99 }],
    ["a status that is not a number", { statusCode: "200" }],
    ["a header value HTTP cannot carry", { statusCode: 200, headers: { "x-bad": "a\nb" } }],
  ])("%s is a bare 500 (a malformed response)", async (_, payload) => {
    lambda.answer = { ok: true, payload };
    const response = await call("/me");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
  });

  it("a Lambda service that cannot be reached is a bare 500, logged", async () => {
    lambda.answer = new Error("service down");
    const response = await call("/me");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
    expect(logs).toContain("gateway: request failed: Error: service down");
  });

  it("a failed function is a bare 500", async () => {
    lambda.answer = { ok: false, error: { errorType: "Error", errorMessage: "boom" } };
    const response = await call("/me");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
  });
});
