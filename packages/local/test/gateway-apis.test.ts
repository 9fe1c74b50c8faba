import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HttpApi, HttpApiSpecError, httpApiProblems } from "../src/gateway/index";
import type { HttpApiSpec } from "../src/spec";
import {
  ACCOUNT,
  apiSpec,
  ISSUER,
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

describe("specs that cannot be served", () => {
  const problems = (api: HttpApiSpec) =>
    httpApiProblems(api, (issuer) => (issuer === ISSUER ? keys.jwksUrl : undefined));

  it("an authorizer whose issuer no local pool serves keys for fails at start, naming it", async () => {
    const foreign = { ...jwtAuthorizer, name: "Foreign", issuer: "https://issuer.example/other" };
    const api = apiSpec([route("GET /me", { authorizer: foreign })]);
    await expect(start(api)).rejects.toThrow(HttpApiSpecError);
    await expect(start(api)).rejects.toThrow(
      'authorizer "Foreign" trusts the issuer https://issuer.example/other, which no local user pool serves keys for',
    );
    expect(problems(apiSpec([route("GET /me", { authorizer: jwtAuthorizer })]))).toEqual([]);
  });

  it.each([
    ["GET /a/", 'a route path cannot end with "/"'],
    ["GET /{proxy+}/a", "a greedy variable must end the path"],
    ["FETCH /a", "unknown method FETCH"],
    ["get /a", 'is not "METHOD /path" or "$default"'],
    ["GET a", 'is not "METHOD /path" or "$default"'],
    ["GET /a//b", 'invalid path segment ""'],
    ["GET /a{b}", 'invalid path segment "a{b}"'],
    ["GET /{id}/{id}", "repeats the variable id"],
  ])("route key %s: %s", (routeKey, problem) => {
    const [found] = problems(apiSpec([route(routeKey)]));
    expect(found).toContain(problem);
  });

  it("two keys that differ only in their variables' names are the same route", () => {
    expect(problems(apiSpec([route("GET /a/{id}"), route("GET /a/{name}")]))).toEqual([
      'route keys "GET /a/{id}" and "GET /a/{name}" are the same route',
    ]);
    expect(problems(apiSpec([route("GET /a/{id}"), route("ANY /a/{id}")]))).toEqual([]);
  });

  it("credentials with any origin, a bad identity source, an integration timeout out of range", () => {
    expect(
      problems(apiSpec([route("GET /a")], { cors: cors(["*"], { allowCredentials: true }) })),
    ).toEqual(["CORS: allowCredentials is not supported when allowOrigins is *"]);
    const cookie = { ...jwtAuthorizer, identitySources: ["$request.cookie.token"] };
    expect(problems(apiSpec([route("GET /a", { authorizer: cookie })]))).toEqual([
      'authorizer "Pool": identity source "$request.cookie.token" is not $request.header.<name> or $request.querystring.<name>',
    ]);
    const two = { ...jwtAuthorizer, identitySources: ["$request.header.A", "$request.header.B"] };
    expect(problems(apiSpec([route("GET /a", { authorizer: two })]))).toEqual([
      'authorizer "Pool": a JWT authorizer takes exactly one identity source',
    ]);
    for (const integrationTimeoutMs of [49, 30_001]) {
      expect(problems(apiSpec([route("GET /a", { integrationTimeoutMs })]))).toEqual([
        'route "GET /a": the integration timeout must be 50 to 30000 ms',
      ]);
    }
    expect(problems(apiSpec([route("GET /a", { integrationTimeoutMs: 50 })]))).toEqual([]);
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
      apiSpec([route("GET /a")], { cors: cors(["*"], { exposeHeaders: ["x-kept"] }) }),
    );
    const response = await fetch(`${any.url}/a`, { headers: { origin: "https://any.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-kept");
    expect(response.headers.get("vary")).toBeNull();
    expect(response.headers.get("x-kept")).toBe("1");

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
      apiSpec([route("ANY /a", { authorizer: jwtAuthorizer }), route("$default")], {
        cors: cors([WEB_ORIGIN]),
      }),
    );
    const preflight = (path: string) =>
      fetch(`${gateway.url}${path}`, {
        method: "OPTIONS",
        headers: { origin: WEB_ORIGIN, "access-control-request-method": "GET" },
      });
    expect((await preflight("/a")).status).toBe(401);
    expect((await preflight("/b")).status).toBe(200);
    expect(lambda.last().event.routeKey).toBe("$default");
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
