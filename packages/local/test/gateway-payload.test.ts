import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiRoute } from "@userprofile/functions/api/routes";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../src/gateway";
import type { InvokeResult } from "../src/lambda";

/**
 * The gateway alone, in this process: what the function receives (payload
 * format 2.0) and how its result reaches the client, as documented in
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * and https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html.
 * The Lambda service is replaced by a function that records each event and
 * answers what the test sets, so every field can be checked exactly.
 */

const ISSUER = "https://issuer.example/pool";
const CLIENT_ID = "client-1";
const WEB_ORIGIN = "http://localhost:5173";
const NOW = new Date("2026-03-05T07:08:09.000Z");
const routes: ApiRoute[] = [
  { method: "GET", path: "/me", handler: "h.get", grants: { table: [], userPool: [] } },
  { method: "PATCH", path: "/me", handler: "h.patch", grants: { table: [], userPool: [] } },
];

let gateway: Gateway;
let jwksServer: Server;
let sign: (claims: JWTPayload) => Promise<string>;
/** The parts of a recorded event the tests read field by field. */
type RecordedEvent = Record<string, unknown> & {
  rawQueryString: string;
  headers: Record<string, string>;
  requestContext: {
    requestId: string;
    authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
  };
};
const invocations: { name: string; event: RecordedEvent }[] = [];
let answer: InvokeResult;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwksServer = createServer((_, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  sign = (claims) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey);
  gateway = await startGateway({
    port: 0,
    routes,
    functionFor: (route) => `fn-${route.method}`,
    lambda: {
      invoke: async (name, event) => {
        invocations.push({ name, event: event as RecordedEvent });
        return answer;
      },
    },
    jwt: { issuer: ISSUER, jwksUrl, audiences: [CLIENT_ID] },
    cors: {
      allowOrigins: [WEB_ORIGIN],
      allowMethods: ["GET", "PATCH"],
      allowHeaders: ["authorization", "content-type"],
      maxAgeSeconds: 600,
    },
    now: () => NOW,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

beforeEach(() => {
  invocations.length = 0;
  answer = { ok: true, payload: { statusCode: 200, body: "{}" } };
});

const seconds = NOW.getTime() / 1000;
const validClaims = {
  sub: "user-1",
  iss: ISSUER,
  aud: CLIENT_ID,
  exp: seconds + 3600,
  iat: seconds - 10,
  token_use: "id",
};

async function call(path: string, init: RequestInit & { claims?: JWTPayload } = {}) {
  const { claims = validClaims, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${await sign(claims)}`);
  return fetch(`${gateway.url}${path}`, { ...rest, headers });
}

const lastEvent = () => invocations.at(-1)?.event as RecordedEvent;

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
      accountId: expect.any(String),
      apiId: expect.any(String),
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

  it("hands the verified claims over as strings, arrays as `[a b]`, with scopes from `scope`", async () => {
    await call("/me", {
      claims: {
        ...validClaims,
        "cognito:groups": ["admins", "staff"],
        email_verified: true,
        scope: "aws.cognito.signin.user.admin openid",
      },
    });
    expect(lastEvent().requestContext.authorizer.jwt).toEqual({
      claims: {
        sub: "user-1",
        iss: ISSUER,
        aud: CLIENT_ID,
        exp: String(validClaims.exp),
        iat: String(validClaims.iat),
        token_use: "id",
        "cognito:groups": "[admins staff]",
        email_verified: "true",
        scope: "aws.cognito.signin.user.admin openid",
      },
      scopes: ["aws.cognito.signin.user.admin", "openid"],
    });
  });

  it("has null scopes when the token has no scope claim", async () => {
    await call("/me");
    expect(lastEvent().requestContext.authorizer.jwt.scopes).toBeNull();
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
    answer = {
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
    answer = {
      ok: true,
      payload: { statusCode: 200, body: bytes.toString("base64"), isBase64Encoded: true },
    };
    const response = await call("/me");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it("a result without a body has an empty body", async () => {
    answer = { ok: true, payload: { statusCode: 204 } };
    const response = await call("/me");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("any other value is sent as JSON with 200", async () => {
    answer = { ok: true, payload: { hello: "world" } };
    const response = await call("/me");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ hello: "world" });
  });

  it("a failed function is a bare 500", async () => {
    answer = { ok: false, error: { errorType: "Error", errorMessage: "boom" } };
    const response = await call("/me");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
  });
});

describe("requests that never reach a function", () => {
  it("an unknown path or method is a JSON 404", async () => {
    for (const [path, method] of [
      ["/you", "GET"],
      ["/me", "DELETE"],
    ] as const) {
      const response = await call(path, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ message: "Not Found" });
    }
    expect(invocations).toEqual([]);
  });

  it("a token is taken with or without its Bearer prefix, and a missing one is a 401", async () => {
    const token = await sign(validClaims);
    expect((await call("/me", { headers: { authorization: token } })).status).toBe(200);
    expect((await call("/me", { headers: { authorization: `bearer  ${token}` } })).status).toBe(
      200,
    );
    const missing = await fetch(`${gateway.url}/me`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe(
      'Bearer scope="" error="invalid_token" error_description="the request has no authorization token"',
    );
    expect(await missing.json()).toEqual({ message: "Unauthorized" });
    expect(invocations).toHaveLength(2);
  });
});

describe("CORS", () => {
  const preflight = (origin: string, requestMethod?: string) =>
    fetch(`${gateway.url}/me`, {
      method: "OPTIONS",
      headers: {
        origin,
        ...(requestMethod ? { "access-control-request-method": requestMethod } : {}),
      },
    });

  it("answers a preflight from an allowed origin with the allowed methods, headers and max age", async () => {
    const response = await preflight(WEB_ORIGIN, "PATCH");
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": WEB_ORIGIN,
      "access-control-allow-methods": "GET,PATCH",
      "access-control-allow-headers": "authorization,content-type",
      "access-control-max-age": "600",
      vary: "origin",
    });
    expect(invocations).toEqual([]);
  });

  it("gives another origin's preflight no CORS headers", async () => {
    const response = await preflight("https://evil.example", "PATCH");
    expect(response.status).toBe(204);
    expect(
      [...response.headers.keys()].filter((name) => name.startsWith("access-control")),
    ).toEqual([]);
  });

  it("routes an OPTIONS request that is not a preflight like any other method", async () => {
    expect((await preflight(WEB_ORIGIN)).status).toBe(404);
  });

  it("adds the origin to the answers an allowed origin gets, errors included", async () => {
    const ok = await call("/me", { headers: { origin: WEB_ORIGIN } });
    expect(ok.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(ok.headers.get("vary")).toBe("origin");
    const unauthorized = await fetch(`${gateway.url}/me`, { headers: { origin: WEB_ORIGIN } });
    expect(unauthorized.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    const other = await call("/me", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
