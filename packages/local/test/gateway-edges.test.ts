import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import type { JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpApi } from "../src/gateway/index";
import {
  apiSpec,
  CLIENT_ID,
  jwtAuthorizer,
  type Keys,
  recordingLambda,
  route,
  SECOND_CLIENT_ID,
  SECONDS as seconds,
  startApi,
  startKeys,
  validClaims,
  WEB_ORIGIN,
} from "./gateway-harness";

/**
 * The gateway's own answers, in this process: requests that never reach a function, CORS
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html) and the
 * JWT authorizer at its boundaries
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html).
 */

let gateway: HttpApi;
let keys: Keys;
const lambda = recordingLambda();
const invocations = lambda.invocations;

beforeAll(async () => {
  keys = await startKeys();
  gateway = await startApi(
    apiSpec(
      [
        route("GET /me", { functionName: "fn-GET", authorizer: jwtAuthorizer }),
        route("PATCH /me", { functionName: "fn-PATCH", authorizer: jwtAuthorizer }),
        route("GET /admin", {
          authorizer: jwtAuthorizer,
          authorizationScopes: ["admin/read", "admin/write"],
        }),
        route("GET /slow", { integrationTimeoutMs: 100 }),
      ],
      {
        cors: {
          allowOrigins: [WEB_ORIGIN],
          allowMethods: ["GET", "PATCH"],
          allowHeaders: ["authorization", "content-type"],
          exposeHeaders: [],
          maxAgeSeconds: 600,
          allowCredentials: false,
        },
      },
    ),
    lambda,
    keys,
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
        socket.end("GET http://[bad HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
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
    const token = await keys.sign(validClaims);
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

describe("authorization scopes (a route that lists authorizationScopes)", () => {
  const admin = (claims: JWTPayload) => call("/admin", { claims });

  it("refuses a valid token that carries none of the route's scopes with a 403", async () => {
    for (const claims of [validClaims, { ...validClaims, scope: "openid profile" }]) {
      const response = await admin(claims);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: "Forbidden" });
      expect(response.headers.get("www-authenticate")).toBe(
        'Bearer scope="admin/read admin/write" error="insufficient_scope" error_description="the token does not have a required scope"',
      );
    }
    expect(invocations).toEqual([]);
  });

  it("accepts any one of them, from `scope` or from an `scp` list, and hands the token's scopes over", async () => {
    expect((await admin({ ...validClaims, scope: "openid admin/write" })).status).toBe(200);
    expect(lambda.last().event.requestContext.authorizer?.jwt.scopes).toEqual([
      "openid",
      "admin/write",
    ]);
    expect((await admin({ ...validClaims, scp: [7, "admin/read"] })).status).toBe(200);
    expect(lambda.last().event.requestContext.authorizer?.jwt.scopes).toEqual(["admin/read"]);
    expect((await admin({ ...validClaims, scope: " openid  admin/read" })).status).toBe(200);
    expect(lambda.last().event.requestContext.authorizer?.jwt.scopes).toEqual([
      "openid",
      "admin/read",
    ]);
  });

  it("checks the token first: an invalid token is a 401 even with the right scope", async () => {
    const response = await admin({ ...validClaims, exp: seconds - 1, scope: "admin/read" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer scope="admin/read admin/write" error="invalid_token" error_description="the token has expired"',
    );
  });
});

describe("two Authorization header lines", () => {
  it("are one identity-source value joined with a comma, which is no token: 401, the function not invoked", async () => {
    const token = await keys.sign(validClaims);
    const { status, reason } = await new Promise<{ status?: number; reason?: string }>(
      (resolve, reject) => {
        const request = httpRequest(`${gateway.url}/me`, (response) => {
          response.resume().on("end", () =>
            resolve({
              status: response.statusCode,
              reason: response.headers["www-authenticate"],
            }),
          );
        });
        // Node would send only one of two values set through headers; both lines go out here.
        request.setHeader("authorization", [`Bearer ${token}`, `Bearer ${token}`]);
        request.on("error", reject).end();
      },
    );
    expect(status).toBe(401);
    expect(reason).toContain('error_description="the token could not be verified"');
    expect(invocations).toEqual([]);
  });

  it("are joined with the comma in between: a token split across two lines is not rejoined", async () => {
    const token = await keys.sign(validClaims);
    const half = Math.floor(token.length / 2);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/me`, (response) =>
        response.resume().on("end", () => resolve(response.statusCode)),
      );
      request.setHeader("authorization", [token.slice(0, half), token.slice(half)]);
      request.on("error", reject).end();
    });
    expect(status).toBe(401);
  });
});

describe("the integration timeout", () => {
  it("answers 503 Service Unavailable when the function has not answered in time", async () => {
    lambda.answer = () =>
      new Promise((resolve) =>
        setTimeout(() => resolve({ ok: true, payload: { statusCode: 200 } }), 1000),
      );
    const started = Date.now();
    const response = await call("/slow");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: "Service Unavailable" });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("waits up to the timeout for a function that answers within it", async () => {
    lambda.answer = () =>
      new Promise((resolve) =>
        setTimeout(() => resolve({ ok: true, payload: { statusCode: 202 } }), 20),
      );
    expect((await call("/slow")).status).toBe(202);
  });
});
