import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ApiRoute } from "@userprofile/functions/api/routes";
import { compactVerify, createRemoteJWKSet, type JWTPayload } from "jose";
import type { LambdaService } from "./lambda";
import { BodyTooLargeError, close, guarded, listen, readBody, requestUrl } from "./net";

export interface GatewayOptions {
  port: number;
  host?: string;
  routes: readonly ApiRoute[];
  /** Function name in the Lambda service for a route key such as `GET /me`. */
  functionFor: (route: ApiRoute) => string;
  lambda: Pick<LambdaService, "invoke">;
  jwt: { issuer: string; jwksUrl: string; audiences: string[] };
  cors: {
    allowOrigins: string[];
    allowMethods: string[];
    allowHeaders: string[];
    maxAgeSeconds: number;
  };
  /** The clock tokens are checked against (`exp`, `nbf`, `iat`): the stack's, which its control can move. */
  now: () => Date;
  log?: (line: string) => void;
}

export interface Gateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * An HTTP API (payload format 2.0) in front of the local Lambda service. It
 * behaves as API Gateway does: CORS answered by the gateway, the JWT
 * authorizer rejects before the function runs, claims reach the function as
 * strings, and a function error becomes a bare 500.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? "127.0.0.1";
  const jwks = createRemoteJWKSet(new URL(options.jwt.jwksUrl));
  let url = "";

  const { now } = options;

  /** The verified claims, or why API Gateway would answer 401. */
  const authorize = async (
    request: IncomingMessage,
  ): Promise<{ claims: JWTPayload } | { problem: string }> => {
    const header = request.headers.authorization;
    if (!header) return { problem: "the request has no authorization token" };
    // HTTP parsing already strips the header's surrounding whitespace.
    const token = header.replace(/^Bearer\s+/i, "");
    let claims: JWTPayload;
    try {
      // Signature only: the claims are checked below, one documented rule each.
      const { payload } = await compactVerify(token, jwks, { algorithms: RSA_ALGORITHMS });
      claims = JSON.parse(new TextDecoder().decode(payload)) as JWTPayload;
    } catch {
      return { problem: "the token could not be verified" };
    }
    const problem = claimsProblem(claims, options.jwt, now());
    return problem ? { problem } : { claims };
  };

  const server = createServer(
    guarded(
      async (request, response) => {
        const origin = request.headers.origin;
        const originAllowed = origin !== undefined && options.cors.allowOrigins.includes(origin);
        const corsHeaders: Record<string, string> = originAllowed
          ? { "access-control-allow-origin": origin, vary: "origin" }
          : {};
        const method = request.method ?? "GET";
        const target = requestUrl(request, "http://gateway");
        if (!target) {
          request.resume();
          return send(response, 400, corsHeaders, { message: "Bad Request" });
        }
        const path = target.pathname;

        if (method === "OPTIONS" && request.headers["access-control-request-method"]) {
          response.writeHead(204, {
            ...corsHeaders,
            ...(originAllowed
              ? {
                  "access-control-allow-methods": options.cors.allowMethods.join(","),
                  "access-control-allow-headers": options.cors.allowHeaders.join(","),
                  "access-control-max-age": String(options.cors.maxAgeSeconds),
                }
              : {}),
          });
          response.end();
          return;
        }

        const route = options.routes.find((r) => r.method === method && r.path === path);
        if (!route) return send(response, 404, corsHeaders, { message: "Not Found" });

        const authorization = await authorize(request);
        if ("problem" in authorization) {
          request.resume();
          return send(
            response,
            401,
            {
              ...corsHeaders,
              "www-authenticate": `Bearer scope="" error="invalid_token" error_description="${authorization.problem}"`,
            },
            { message: "Unauthorized" },
          );
        }

        let body: Buffer;
        try {
          body = await readBody(request, MAX_PAYLOAD_BYTES);
        } catch (error) {
          if (error instanceof BodyTooLargeError) {
            return send(
              response,
              413,
              { ...corsHeaders, connection: "close" },
              {
                message: "Request Entity Too Large",
              },
            );
          }
          request.destroy();
          return;
        }
        const event = payloadV2(request, route, target, body, authorization.claims, url, now());
        const result = await options.lambda.invoke(options.functionFor(route), event);
        if (!result.ok) {
          return send(response, 500, corsHeaders, { message: "Internal Server Error" });
        }
        writeResult(response, result.payload, corsHeaders);
      },
      (error) => options.log?.(`gateway: request failed: ${String(error)}`),
    ),
  );

  const port = await listen(server, options.port, host, "LOCAL_API_PORT");
  url = `http://${host}:${port}`;
  return { url, stop: () => close(server) };
}

/** API Gateway verifies JWT signatures with RSA keys only. */
const RSA_ALGORITHMS = ["RS256", "RS384", "RS512"];

/** HTTP APIs accept payloads up to 10 MB. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/**
 * The claim checks API Gateway documents for a JWT authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * `iss` is the configured issuer; `aud`, or `client_id` only when there is no
 * `aud`, is a configured audience; `exp` is required and in the future; `nbf`
 * and `iat`, when present, are not in the future. `token_use` is not checked:
 * API Gateway does not distinguish ID from access tokens.
 */
export function claimsProblem(
  claims: JWTPayload,
  expected: { issuer: string; audiences: readonly string[] },
  now: Date,
): string | null {
  const seconds = now.getTime() / 1000;
  if (claims.iss !== expected.issuer) return "the token does not have a valid issuer";
  const presented: unknown[] = claims.aud !== undefined ? [claims.aud].flat() : [claims.client_id];
  if (!expected.audiences.some((audience) => presented.includes(audience))) {
    return "the token does not have a valid audience";
  }
  if (typeof claims.exp !== "number") return "the token has no expiry";
  if (claims.exp <= seconds) return "the token has expired";
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > seconds)) {
    return "the token is not valid yet";
  }
  if (claims.iat !== undefined && (typeof claims.iat !== "number" || claims.iat > seconds)) {
    return "the token was issued in the future";
  }
  return null;
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
) {
  response.writeHead(status, { ...headers, "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** API Gateway hands JWT claims to the function as strings; arrays become `[a b]`. */
function stringClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      Array.isArray(value)
        ? `[${value.join(" ")}]`
        : typeof value === "string"
          ? value
          : JSON.stringify(value),
    ]),
  );
}

/**
 * Name-value pairs as one object, a repeated name's values joined with commas
 * (payload 2.0 does this for headers and query parameters). A Map first, so
 * that names such as `__proto__` or `constructor` are plain keys.
 */
function joinRepeated(pairs: Iterable<[string, string]>): Record<string, string> {
  const joined = new Map<string, string>();
  for (const [name, value] of pairs) {
    const previous = joined.get(name);
    joined.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return Object.fromEntries(joined);
}

/** Raw header lines as name-value pairs, names lower-cased. */
function* headerPairs(rawHeaders: string[]): Generator<[string, string]> {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    yield [(rawHeaders[i] as string).toLowerCase(), rawHeaders[i + 1] as string];
  }
}

function payloadV2(
  request: IncomingMessage,
  route: ApiRoute,
  target: URL,
  body: Buffer,
  claims: JWTPayload,
  gatewayUrl: string,
  now: Date,
) {
  const { host, hostname } = new URL(gatewayUrl);
  // Node keeps one value of some repeated headers (user-agent, authorization...); API Gateway joins them all.
  const headers = joinRepeated(headerPairs(request.rawHeaders));
  const query = joinRepeated(target.searchParams);
  const routeKey = `${route.method} ${route.path}`;
  const text = body.toString("utf8");
  const isText = Buffer.from(text, "utf8").equals(body);
  return {
    version: "2.0",
    routeKey,
    rawPath: target.pathname,
    rawQueryString: target.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: {
        jwt: {
          claims: stringClaims(claims),
          scopes: typeof claims.scope === "string" ? claims.scope.split(" ") : null,
        },
      },
      domainName: host,
      domainPrefix: hostname.split(".")[0],
      http: {
        method: route.method,
        path: target.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length
      ? { body: isText ? text : body.toString("base64"), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  };
}

/** `requestContext.time` as API Gateway writes it: `12/Mar/2020:19:03:58 +0000`. */
function requestTime(date: Date): string {
  // toUTCString() is "Thu, 12 Mar 2020 19:03:58 GMT", day zero-padded.
  const [, day, month, year, time] = date.toUTCString().split(" ");
  return `${day}/${month}/${year}:${time} +0000`;
}

/** Payload 2.0 response rules: a structured result, or any other value sent as JSON with 200. */
function writeResult(
  response: ServerResponse,
  payload: unknown,
  corsHeaders: Record<string, string>,
) {
  if (payload && typeof payload === "object" && "statusCode" in payload) {
    const result = payload as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
      isBase64Encoded?: boolean;
    };
    response.writeHead(result.statusCode, { ...corsHeaders, ...result.headers });
    response.end(
      result.body === undefined
        ? undefined
        : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8"),
    );
    return;
  }
  send(response, 200, corsHeaders, payload);
}
