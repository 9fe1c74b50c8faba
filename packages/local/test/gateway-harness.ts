import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { type HttpApi, type HttpApiOptions, startHttpApi } from "../src/gateway/index";
import type { InvokeCaller, InvokeResult } from "../src/lambda";
import type { HttpApiSpec, HttpRouteSpec, JwtAuthorizerSpec } from "../src/spec";

/**
 * What the in-process gateway tests share: an issuer whose JWKS a small server serves, a
 * Lambda service that records what the gateway invokes and answers what the test sets
 * (the gateway's invoke target, not a stand-in for the gateway), and specs to start from.
 */

export const ISSUER = "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Test12345";
export const CLIENT_ID = "client-1";
export const SECOND_CLIENT_ID = "client-2";
export const WEB_ORIGIN = "http://localhost:5173";
export const NOW = new Date("2026-03-05T07:08:09.000Z");
export const SECONDS = NOW.getTime() / 1000;
export const REGION = "eu-central-1";
export const ACCOUNT = "123456789012";

/** The parts of a recorded event the tests read field by field. */
export type RecordedEvent = Record<string, unknown> & {
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: Record<string, unknown> & {
    requestId: string;
    authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
  };
};

export interface Invocation {
  name: string;
  event: RecordedEvent;
  caller: InvokeCaller | undefined;
}

export interface Keys {
  jwksUrl: string;
  sign(claims: JWTPayload): Promise<string>;
  stop(): Promise<void>;
}

export async function startKeys(): Promise<Keys> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const server: Server = createServer((_, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    sign: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const validClaims = {
  sub: "user-1",
  iss: ISSUER,
  aud: CLIENT_ID,
  exp: SECONDS + 3600,
  iat: SECONDS - 10,
  token_use: "id",
};

/** A recording Lambda service: `answer` is what the next invocations return (or throw). */
export function recordingLambda() {
  const invocations: Invocation[] = [];
  const service = {
    invocations,
    answer: { ok: true, payload: { statusCode: 200, body: "{}" } } as
      | InvokeResult
      | Error
      | (() => Promise<InvokeResult>),
    invoke: async (name: string, event: unknown, caller?: InvokeCaller) => {
      invocations.push({ name, event: event as RecordedEvent, caller });
      const { answer } = service;
      if (answer instanceof Error) throw answer;
      return typeof answer === "function" ? answer() : answer;
    },
    last: () => invocations.at(-1) as Invocation,
    reset() {
      invocations.length = 0;
      service.answer = { ok: true, payload: { statusCode: 200, body: "{}" } };
    },
  };
  return service;
}

export const jwtAuthorizer: JwtAuthorizerSpec = {
  name: "Pool",
  issuer: ISSUER,
  audiences: [CLIENT_ID, SECOND_CLIENT_ID],
  identitySources: ["$request.header.Authorization"],
};

/** A route invoking `functionName` (by default named after the key), payload 2.0, no authorizer. */
export function route(routeKey: string, extra: Partial<HttpRouteSpec> = {}): HttpRouteSpec {
  return { routeKey, functionName: `fn ${routeKey}`, payloadFormatVersion: "2.0", ...extra };
}

export function apiSpec(routes: HttpRouteSpec[], extra: Partial<HttpApiSpec> = {}): HttpApiSpec {
  return {
    id: "a1b2c3d4e5",
    name: "Api",
    origin: { component: "sst:aws:ApiGatewayV2", name: "Api" },
    deployedUrl: `https://a1b2c3d4e5.execute-api.${REGION}.amazonaws.com`,
    routes,
    ...extra,
  };
}

/** Starts an API on a free port against the recording Lambda service and the test keys. */
export function startApi(
  api: HttpApiSpec,
  lambda: ReturnType<typeof recordingLambda>,
  keys: Pick<Keys, "jwksUrl">,
  extra: Partial<HttpApiOptions> = {},
): Promise<HttpApi> {
  return startHttpApi({
    api,
    port: 0,
    region: REGION,
    accountId: ACCOUNT,
    lambda,
    jwksUrl: (issuer) => (issuer === ISSUER ? keys.jwksUrl : undefined),
    now: () => NOW,
    log: () => {},
    ...extra,
  });
}
