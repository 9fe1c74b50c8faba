import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type HttpApi, HttpApiSpecError, httpApiProblems } from "../src/gateway/index";
import { PortInUseError } from "../src/net";
import type { HttpApiSpec } from "../src/spec";
import {
  apiSpec,
  ISSUER,
  jwtAuthorizer,
  type Keys,
  recordingLambda,
  route,
  startApi,
  startKeys,
} from "./gateway-harness";

/**
 * The specs the gateway cannot serve, refused before it listens (and what the planner can
 * check with httpApiProblems), and the server's own lifecycle.
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
afterEach(async () => {
  await Promise.all(started.splice(0).map((api) => api.stop()));
});

async function start(api: HttpApiSpec, port = 0) {
  const gateway = await startApi(api, lambda, keys, { port });
  started.push(gateway);
  return gateway;
}

const cors = (origins: string[], extra: Partial<NonNullable<HttpApiSpec["cors"]>> = {}) => ({
  allowOrigins: origins,
  allowMethods: ["GET"],
  allowHeaders: ["authorization"],
  exposeHeaders: [],
  allowCredentials: false,
  ...extra,
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
    ["x GET /a", 'is not "METHOD /path" or "$default"'],
    ["GET /a b", 'is not "METHOD /path" or "$default"'],
  ])("route key %s: %s", (routeKey, problem) => {
    const [found] = problems(apiSpec([route(routeKey)]));
    expect(found).toContain(problem);
  });

  it("two keys that differ only in their variables' names are the same route", () => {
    expect(problems(apiSpec([route("GET /a/{id}"), route("GET /a/{name}")]))).toEqual([
      'route keys "GET /a/{id}" and "GET /a/{name}" are the same route',
    ]);
    expect(problems(apiSpec([route("GET /a/{id}"), route("ANY /a/{id}")]))).toEqual([]);
    expect(problems(apiSpec([route("GET /a/b"), route("GET /ab")]))).toEqual([]);
    expect(problems(apiSpec([route("GET /a/{x}"), route("GET /a/{x+}")]))).toEqual([]);
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
    for (const integrationTimeoutMs of [50, 30_000]) {
      expect(problems(apiSpec([route("GET /a", { integrationTimeoutMs })]))).toEqual([]);
    }
  });
});

describe("the error a spec with problems raises", () => {
  it("names the API and lists every problem, one a line", async () => {
    const api = apiSpec([route("GET /a/"), route("FETCH /b")], { name: "Shop" });
    const error = await start(api).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(HttpApiSpecError);
    expect(error).toMatchObject({
      name: "HttpApiSpecError",
      api: "Shop",
      message:
        'The HTTP API "Shop" cannot be served locally:\n- route key "GET /a/": a route path cannot end with "/"\n- route key "FETCH /b" has an unknown method FETCH',
    });
  });
});

describe("the server", () => {
  it("names the variable that moves a busy port", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const attempt = start(apiSpec([route("GET /a")]), port);
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(start(apiSpec([route("GET /a")]), port)).rejects.toThrow("LOCAL_API_PORT");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("stops listening when stopped", async () => {
    const gateway = await startApi(apiSpec([route("GET /a")]), lambda, keys);
    expect((await fetch(`${gateway.url}/a`)).status).toBe(200);
    await gateway.stop();
    await expect(fetch(`${gateway.url}/a`)).rejects.toThrow();
  });
});
