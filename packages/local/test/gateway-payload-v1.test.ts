import { request as httpRequest } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpApi } from "../src/gateway/index";
import type { HttpApiSpec } from "../src/spec";
import {
  ACCOUNT,
  apiSpec,
  ISSUER,
  jwtAuthorizer,
  type Keys,
  NOW,
  recordingLambda,
  route,
  startApi,
  startKeys,
  validClaims,
} from "./gateway-harness";

/**
 * Routes whose integration uses payload format 1.0: the event and the result as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * shows them for 1.0 (REST API's proxy shape, with single- and multi-value fields).
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

describe("payload format 1.0", () => {
  it("sends the 1.0 event and maps a 1.0 result, multi-value headers included", async () => {
    const gateway = await start(
      apiSpec([
        route("POST /v1/{id}", { payloadFormatVersion: "1.0", authorizer: jwtAuthorizer }),
        route("GET /open", { payloadFormatVersion: "1.0" }),
      ]),
    );
    lambda.answer = {
      ok: true,
      payload: {
        statusCode: 201,
        headers: { "x-one": "1" },
        multiValueHeaders: { "x-many": ["a", "b"] },
        body: "made",
      },
    };
    const response = await fetch(`${gateway.url}/v1/9?q=1&q=2`, {
      method: "POST",
      headers: { ...(await bearer()), "x-h": "v", "user-agent": "probe/1" },
      body: "hello",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-one")).toBe("1");
    expect(response.headers.get("x-many")).toBe("a, b");
    expect(await response.text()).toBe("made");
    const event = lambda.last().event;
    expect(event).toMatchObject({
      version: "1.0",
      resource: "/v1/{id}",
      path: "/v1/9",
      httpMethod: "POST",
      headers: { "x-h": "v" },
      multiValueHeaders: { "x-h": ["v"] },
      queryStringParameters: { q: "1" },
      multiValueQueryStringParameters: { q: ["1", "2"] },
      pathParameters: { id: "9" },
      stageVariables: null,
      body: "hello",
      isBase64Encoded: false,
      requestContext: {
        accountId: ACCOUNT,
        apiId: "a1b2c3d4e5",
        authorizer: { claims: { sub: "user-1", iss: ISSUER }, scopes: null },
        httpMethod: "POST",
        identity: { sourceIp: "127.0.0.1", userAgent: "probe/1", caller: null },
        path: "/v1/9",
        protocol: "HTTP/1.1",
        requestTime: "05/Mar/2026:07:08:09 +0000",
        requestTimeEpoch: NOW.getTime(),
        resourcePath: "/v1/{id}",
        stage: "$default",
      },
    });

    lambda.reset();
    await fetch(`${gateway.url}/open`);
    expect(lambda.last().event).toMatchObject({
      pathParameters: null,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: null,
      requestContext: { authorizer: { claims: null, scopes: null } },
    });
  });

  it("a 1.0 result without a valid statusCode is a bare 500, with the CORS headers of any answer", async () => {
    const origin = "https://app.example";
    const gateway = await start(
      apiSpec([route("GET /v1", { payloadFormatVersion: "1.0" })], {
        cors: {
          allowOrigins: [origin],
          allowMethods: ["GET"],
          allowHeaders: [],
          exposeHeaders: [],
          allowCredentials: false,
        },
      }),
    );
    for (const payload of ["text", { body: "no status" }, [1], null]) {
      lambda.answer = { ok: true, payload };
      const response = await fetch(`${gateway.url}/v1`, { headers: { origin } });
      expect(response.status).toBe(500);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(await response.json()).toEqual({ message: "Internal Server Error" });
    }
  });
});

describe("payload format 1.0, repeated values and bodies", () => {
  it("keeps the last of a repeated header in headers and every line in multiValueHeaders", async () => {
    const gateway = await start(apiSpec([route("GET /h", { payloadFormatVersion: "1.0" })]));
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(
        `${gateway.url}/h?q=1`,
        { headers: { "x-many": ["a", "b"] } },
        (response) => response.resume().on("end", resolve),
      );
      request.setHeader("user-agent", ["one", "two"]);
      request.on("error", reject).end();
    });
    expect(lambda.last().event).toMatchObject({
      headers: { "x-many": "b" },
      multiValueHeaders: { "x-many": ["a", "b"] },
      queryStringParameters: { q: "1" },
      multiValueQueryStringParameters: { q: ["1"] },
      requestContext: { identity: { userAgent: "one,two" } },
    });
  });

  it("carries bytes base64-encoded and decodes a base64 result body", async () => {
    const gateway = await start(apiSpec([route("POST /b", { payloadFormatVersion: "1.0" })]));
    const bytes = Buffer.from([0xff, 0x00, 0xfe]);
    lambda.answer = {
      ok: true,
      payload: { statusCode: 200, body: bytes.toString("base64"), isBase64Encoded: true },
    };
    const response = await fetch(`${gateway.url}/b`, { method: "POST", body: bytes });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect(lambda.last().event).toMatchObject({
      body: bytes.toString("base64"),
      isBase64Encoded: true,
    });
  });

  it("ignores cookies in a 1.0 result (a 2.0 field) and merges headers with multiValueHeaders", async () => {
    const gateway = await start(apiSpec([route("GET /c", { payloadFormatVersion: "1.0" })]));
    lambda.answer = {
      ok: true,
      payload: {
        statusCode: 200,
        cookies: ["a=1"],
        headers: { "X-H": "single", "x-same": "1" },
        multiValueHeaders: { "x-h": ["multi"], "x-same": ["1", "2"], "x-lone": "v" },
      },
    };
    const response = await fetch(`${gateway.url}/c`);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get("x-h")).toBe("multi, single");
    expect(response.headers.get("x-same")).toBe("1, 2");
    expect(response.headers.get("x-lone")).toBe("v");
  });
});
