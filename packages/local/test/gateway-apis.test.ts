import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HttpApi, HttpApiSpecError } from "../src/gateway/index";
import type { HttpApiSpec } from "../src/spec";
import {
  ACCOUNT,
  apiSpec,
  jwtAuthorizer,
  type Keys,
  REGION,
  recordingLambda,
  route,
  startApi,
  startKeys,
  validClaims,
  WEB_ORIGIN,
} from "./gateway-harness";

/**
 * Whatever an app declares: several APIs at once, each with its own routes, authorizers and
 * CORS; live updates; payload format 1.0; the ARN the function is invoked as; and the specs
 * that cannot be served, refused before the API starts.
 */

let keys: Keys;
const lambda = recordingLambda();
const started: HttpApi[] = [];

beforeAll(async () => {
  keys = await startKeys();
});
afterAll(async () => {
  await keys?.stop();
});
beforeEach(() => lambda.reset());
afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop()));
});

async function start(api: HttpApiSpec) {
  const gateway = await startApi(api, lambda, keys);
  started.push(gateway);
  return gateway;
}

const bearer = async () => ({ authorization: `Bearer ${await keys.sign(validClaims)}` });

const cors = (origins: string[], extra: Partial<NonNullable<HttpApiSpec["cors"]>> = {}) => ({
  allowOrigins: origins,
  allowMethods: ["GET"],
  allowHeaders: ["authorization"],
  exposeHeaders: [],
  allowCredentials: false,
  ...extra,
});

describe("two APIs at once", () => {
  it("serves each from its own spec: routes, authorizer or none, CORS, and id", async () => {
    const open = await start(
      apiSpec([route("GET /items/{id}", { functionName: "items" })], {
        id: "openapi001",
        cors: cors(["https://one.example"]),
      }),
    );
    const guarded = await start(
      apiSpec([route("GET /me", { functionName: "me", authorizer: jwtAuthorizer })], {
        id: "guarded002",
        cors: cors(["https://two.example"]),
      }),
    );
    expect(open.url).not.toBe(guarded.url);

    const item = await fetch(`${open.url}/items/42`, {
      headers: { origin: "https://one.example" },
    });
    expect(item.status).toBe(200);
    expect(item.headers.get("access-control-allow-origin")).toBe("https://one.example");
    expect(lambda.last()).toMatchObject({
      name: "items",
      event: { pathParameters: { id: "42" }, requestContext: { apiId: "openapi001" } },
    });
    expect(lambda.last().event.requestContext).not.toHaveProperty("authorizer");

    expect((await fetch(`${open.url}/me`)).status).toBe(404);
    expect((await fetch(`${guarded.url}/items/42`)).status).toBe(404);
    const anonymous = await fetch(`${guarded.url}/me`, {
      headers: { origin: "https://one.example" },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("access-control-allow-origin")).toBeNull();
    const me = await fetch(`${guarded.url}/me`, { headers: await bearer() });
    expect(me.status).toBe(200);
    expect(lambda.last()).toMatchObject({
      name: "me",
      event: { requestContext: { apiId: "guarded002" } },
    });
  });
});

describe("update()", () => {
  it("swaps routes, authorizers and CORS while the API keeps its port", async () => {
    const gateway = await start(apiSpec([route("GET /old")], { cors: cors([WEB_ORIGIN]) }));
    expect((await fetch(`${gateway.url}/old`)).status).toBe(200);

    gateway.update(
      apiSpec([route("GET /new/{proxy+}", { authorizer: jwtAuthorizer })], {
        cors: cors(["https://other.example"]),
      }),
    );
    expect((await fetch(`${gateway.url}/old`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/new/a/b`)).status).toBe(401);
    const response = await fetch(`${gateway.url}/new/a/b`, {
      headers: { ...(await bearer()), origin: "https://other.example" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://other.example");
    const preflight = await fetch(`${gateway.url}/new/a`, {
      method: "OPTIONS",
      headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();

    gateway.update(apiSpec([route("GET /new/{proxy+}")]));
    expect((await fetch(`${gateway.url}/new/a/b`)).status).toBe(200);
  });

  it("refuses a spec it cannot serve and keeps serving the previous one", async () => {
    const gateway = await start(apiSpec([route("GET /kept")]));
    expect(() => gateway.update(apiSpec([route("GET /{proxy+}/tail")]))).toThrow(HttpApiSpecError);
    expect((await fetch(`${gateway.url}/kept`)).status).toBe(200);
  });
});

describe("the ARN the function is invoked as", () => {
  it("names the API, stage, method and route path, or $default", async () => {
    const gateway = await start(apiSpec([route("ANY /items/{id}"), route("$default")]));
    await fetch(`${gateway.url}/items/7`, { method: "DELETE" });
    expect(lambda.last().caller).toEqual({
      principal: "apigateway.amazonaws.com",
      sourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/$default/DELETE/items/{id}`,
    });
    await fetch(`${gateway.url}/else/where`);
    expect(lambda.last().caller?.sourceArn).toBe(
      `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/$default/$default`,
    );
  });
});

describe("the identity source", () => {
  it("may be a query parameter", async () => {
    const fromQuery = { ...jwtAuthorizer, identitySources: ["$request.querystring.token"] };
    const gateway = await start(apiSpec([route("GET /q", { authorizer: fromQuery })]));
    const token = await keys.sign(validClaims);
    expect((await fetch(`${gateway.url}/q`, { headers: { authorization: token } })).status).toBe(
      401,
    );
    expect((await fetch(`${gateway.url}/q?token=${token}`)).status).toBe(200);
  });
});

describe("CORS settings", () => {
  it("`*` allows any origin; credentials and exposed headers are added; the function's own CORS headers are dropped", async () => {
    lambda.answer = {
      ok: true,
      payload: {
        statusCode: 200,
        headers: { "access-control-allow-origin": "https://evil.example", "x-kept": "1" },
      },
    };
    const any = await start(
      apiSpec([route("GET /a")], { cors: cors(["*"], { exposeHeaders: ["x-kept", "x-other"] }) }),
    );
    const response = await fetch(`${any.url}/a`, { headers: { origin: "https://any.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-kept,x-other");
    expect(response.headers.get("vary")).toBeNull();
    expect(response.headers.get("x-kept")).toBe("1");
    // A request without Origin is no CORS request: no CORS headers, even for `*`.
    const plain = await fetch(`${any.url}/a`);
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();

    const withCredentials = await start(
      apiSpec([route("GET /a")], { cors: cors([WEB_ORIGIN], { allowCredentials: true }) }),
    );
    const preflight = await fetch(`${withCredentials.url}/a`, {
      method: "OPTIONS",
      headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-max-age")).toBeNull();
  });

  it("a preflight that a route takes (ANY, OPTIONS or $default) reaches that route, not the automatic answer", async () => {
    const gateway = await start(
      apiSpec(
        [route("ANY /a", { authorizer: jwtAuthorizer }), route("OPTIONS /o"), route("$default")],
        {
          cors: cors([WEB_ORIGIN]),
        },
      ),
    );
    const preflight = (path: string) =>
      fetch(`${gateway.url}${path}`, {
        method: "OPTIONS",
        headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
      });
    expect((await preflight("/a")).status).toBe(401);
    expect((await preflight("/b")).status).toBe(200);
    expect(lambda.last().event.routeKey).toBe("$default");
    expect((await preflight("/o")).status).toBe(200);
    expect(lambda.last().event.routeKey).toBe("OPTIONS /o");
  });

  it("an OPTIONS route takes the preflights for its path", async () => {
    const gateway = await start(apiSpec([route("OPTIONS /o")], { cors: cors([WEB_ORIGIN]) }));
    const preflight = await fetch(`${gateway.url}/o`, {
      method: "OPTIONS",
      headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(200);
    expect(lambda.last().event.routeKey).toBe("OPTIONS /o");
  });

  it("without a CORS configuration the function's own CORS headers reach the client", async () => {
    lambda.answer = {
      ok: true,
      payload: { statusCode: 200, headers: { "access-control-allow-origin": "https://x.example" } },
    };
    const gateway = await start(apiSpec([route("GET /a")]));
    const response = await fetch(`${gateway.url}/a`, { headers: { origin: WEB_ORIGIN } });
    expect(response.headers.get("access-control-allow-origin")).toBe("https://x.example");
  });

  it("without a CORS configuration a preflight is routed like any request", async () => {
    const gateway = await start(apiSpec([route("GET /a")]));
    const preflight = await fetch(`${gateway.url}/a`, {
      method: "OPTIONS",
      headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
    });
    expect(preflight.status).toBe(404);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});
