import type { HttpApiSpec } from "../spec";

/**
 * CORS as https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 * describes it: with a CORS configuration API Gateway answers preflights itself (when no
 * route takes the `OPTIONS` request), adds the configured headers to every other answer for
 * an allowed origin, and ignores the CORS headers the integration returns.
 */

export type Cors = NonNullable<HttpApiSpec["cors"]>;

/** A browser's preflight: `OPTIONS` naming the method it wants to send. */
export function isPreflight(method: string, headers: readonly [string, string][]) {
  return method === "OPTIONS" && headers.some(([name]) => name === "access-control-request-method");
}

function allowedOrigin(cors: Cors | undefined, origin: string | undefined): string | null {
  if (!cors || origin === undefined) return null;
  if (cors.allowOrigins.includes("*")) return "*";
  return cors.allowOrigins.includes(origin) ? origin : null;
}

/** What every CORS answer to an allowed origin carries. */
function originHeaders(cors: Cors, allowed: string): Record<string, string> {
  return {
    "access-control-allow-origin": allowed,
    ...(allowed === "*" ? {} : { vary: "origin" }),
    ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
  };
}

/** The headers every answer to an allowed origin carries (none for another origin). */
export function corsHeaders(
  cors: Cors | undefined,
  origin: string | undefined,
): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (!cors || allowed === null) return {};
  return {
    ...originHeaders(cors, allowed),
    ...(cors.exposeHeaders.length
      ? { "access-control-expose-headers": cors.exposeHeaders.join(",") }
      : {}),
  };
}

/** The answer to a preflight: the allowed methods, headers and max age, for an allowed origin. */
export function preflightHeaders(cors: Cors, origin: string | undefined): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === null) return {};
  return {
    ...originHeaders(cors, allowed),
    ...(cors.allowMethods.length
      ? { "access-control-allow-methods": cors.allowMethods.join(",") }
      : {}),
    ...(cors.allowHeaders.length
      ? { "access-control-allow-headers": cors.allowHeaders.join(",") }
      : {}),
    ...(cors.maxAgeSeconds !== undefined
      ? { "access-control-max-age": String(cors.maxAgeSeconds) }
      : {}),
  };
}

/** The integration's own headers minus its CORS headers, which API Gateway then ignores. */
export function withoutCors<T>(cors: Cors | undefined, headers: Map<string, T>): Map<string, T> {
  if (!cors) return headers;
  return new Map([...headers].filter(([name]) => !name.startsWith("access-control-")));
}
