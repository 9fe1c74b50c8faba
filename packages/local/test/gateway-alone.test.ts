import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
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
const SECOND_CLIENT_ID = "client-2";
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
let answer: InvokeResult | Error;
const logs: string[] = [];

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
        if (answer instanceof Error) throw answer;
        return answer;
      },
    },
    jwt: { issuer: ISSUER, jwksUrl, audiences: [CLIENT_ID, SECOND_CLIENT_ID] },
    cors: {
      allowOrigins: [WEB_ORIGIN],
      allowMethods: ["GET", "PATCH"],
      allowHeaders: ["authorization", "content-type"],
      maxAgeSeconds: 600,
    },
    now: () => NOW,
    log: (line) => logs.push(line),
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
    const token = await sign(validClaims);
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
    const token = await sign(validClaims);
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

  it.each([{ hello: "world" }, "text", 42, [1, 2]])(
    "any other value (%j) is sent as JSON with 200",
    async (payload) => {
      answer = { ok: true, payload };
      const response = await call("/me");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual(payload);
    },
  );

  it("a Lambda service that cannot be reached is a bare 500, logged", async () => {
    answer = new Error("service down");
    const response = await call("/me");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal Server Error" });
    expect(logs).toContain("gateway: request failed: Error: service down");
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
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(await response.json()).toEqual({ message: "Not Found" });
    }
    expect(invocations).toEqual([]);
  });

  it("a request target that is not a URL is a 400", async () => {
    const { port } = new URL(gateway.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.end("GET http://[bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      });
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk;
      });
      socket.on("end", () => resolve(text)).on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).toContain('{"message":"Bad Request"}');
    expect(invocations).toEqual([]);
  });

  it("a payload over 10 MB is a 413 that closes the connection", async () => {
    const response = await call("/me", {
      method: "PATCH",
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toEqual({ message: "Request Entity Too Large" });
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

  it("treats only OPTIONS as a preflight: a GET that names a request method reaches its function", async () => {
    const response = await call("/me", {
      headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(200);
    expect(invocations).toHaveLength(1);
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

describe("the JWT authorizer at its boundaries (clock fixed at the request time)", () => {
  const status = async (claims: JWTPayload) => (await call("/me", { claims })).status;

  it("exp equal to now has expired; one second later than now has not", async () => {
    expect(await status({ ...validClaims, exp: seconds })).toBe(401);
    expect(await status({ ...validClaims, exp: seconds + 1 })).toBe(200);
  });

  it("nbf and iat equal to now are valid; one second later are not", async () => {
    expect(await status({ ...validClaims, nbf: seconds, iat: seconds })).toBe(200);
    expect(await status({ ...validClaims, nbf: seconds + 1 })).toBe(401);
    expect(await status({ ...validClaims, iat: seconds + 1 })).toBe(401);
  });

  it("nbf and iat are optional, but must be numbers when present", async () => {
    const asString = (value: number) => String(value) as unknown as number;
    const { iat: _, ...withoutIat } = validClaims;
    expect(await status(withoutIat)).toBe(200);
    expect(await status({ ...validClaims, nbf: asString(seconds - 60) })).toBe(401);
    expect(await status({ ...validClaims, iat: asString(seconds - 60) })).toBe(401);
  });

  it("the audience: any listed `aud`, else `client_id`; a token with neither is refused", async () => {
    const { aud: _, ...withoutAud } = validClaims;
    expect(await status({ ...validClaims, aud: ["other", CLIENT_ID] })).toBe(200);
    expect(await status({ ...withoutAud, client_id: CLIENT_ID })).toBe(200);
    expect(await status(withoutAud)).toBe(401);
  });

  it("any one configured audience is enough", async () => {
    expect(await status({ ...validClaims, aud: SECOND_CLIENT_ID })).toBe(200);
    expect(await status({ ...validClaims, aud: "client-3" })).toBe(401);
  });
});
