import { compactVerify, createRemoteJWKSet, type JWTPayload } from "jose";
import type { HttpRouteSpec, JwtAuthorizerSpec } from "../spec";
import { type GatewayRequest, valuesOf } from "./request";

/**
 * The JWT authorizer as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * documents it: the token from the identity source, with or without `Bearer `; the signature
 * by the issuer's keys (RSA only); `iss`, `aud` or `client_id`, `exp`, `nbf`, `iat`; and, for
 * a route that lists `authorizationScopes`, at least one of them in `scope` or `scp`.
 */

export type Authorization =
  | { ok: true; claims: JWTPayload; scopes: string[] | null }
  | { ok: false; status: 401 | 403; wwwAuthenticate: string };

/** The keys of each issuer, by JWKS URL. */
export type JwksLookup = (issuer: string) => string | undefined;

/** API Gateway verifies JWT signatures with RSA keys only. */
const RSA_ALGORITHMS = ["RS256", "RS384", "RS512"];

const IDENTITY_SOURCE = /^\$request\.(header|querystring)\.([^\s.]+)$/;

/** Why API Gateway would refuse an identity source for a JWT authorizer, if it would. */
export function identitySourceProblem(sources: readonly string[]): string | null {
  if (sources.length !== 1) return "a JWT authorizer takes exactly one identity source";
  return IDENTITY_SOURCE.test(sources[0] as string)
    ? null
    : `identity source "${sources[0]}" is not $request.header.<name> or $request.querystring.<name>`;
}

export class JwtAuthorizer {
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(
    private readonly jwksUrl: JwksLookup,
    private readonly now: () => Date,
  ) {}

  async authorize(route: HttpRouteSpec, request: GatewayRequest): Promise<Authorization> {
    const authorizer = route.authorizer as JwtAuthorizerSpec;
    const required = route.authorizationScopes ?? [];
    const challenge = (error: string, description: string) =>
      `Bearer scope="${required.join(" ")}" error="${error}" error_description="${description}"`;
    const refuse = (problem: string): Authorization => ({
      ok: false,
      status: 401,
      wwwAuthenticate: challenge("invalid_token", problem),
    });

    const value = identityValue(authorizer, request);
    if (!value) return refuse("the request has no authorization token");
    const token = value.replace(/^Bearer\s+/i, "");
    let claims: JWTPayload;
    try {
      // Signature only: the claims are checked below, one documented rule each.
      const { payload } = await compactVerify(token, this.keySet(authorizer.issuer), {
        algorithms: RSA_ALGORITHMS,
      });
      claims = JSON.parse(new TextDecoder().decode(payload)) as JWTPayload;
    } catch {
      return refuse("the token could not be verified");
    }
    const problem = claimsProblem(claims, authorizer, this.now());
    if (problem) return refuse(problem);
    if (!required.length) return { ok: true, claims, scopes: null };
    const scopes = tokenScopes(claims);
    if (!required.some((scope) => scopes.includes(scope))) {
      return {
        ok: false,
        status: 403,
        wwwAuthenticate: challenge(
          "insufficient_scope",
          "the token does not have a required scope",
        ),
      };
    }
    return { ok: true, claims, scopes };
  }

  private keySet(issuer: string) {
    // The issuer's JWKS was checked when the API started (see problems.ts).
    const url = this.jwksUrl(issuer) as string;
    let keySet = this.keySets.get(url);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(url));
      this.keySets.set(url, keySet);
    }
    return keySet;
  }
}

/**
 * The identity source's value. Repeated header lines (or query parameters) are joined with
 * commas, as for every `$request.header.<name>` selection
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html):
 * two `Authorization` lines make one value that is no token.
 */
function identityValue(authorizer: JwtAuthorizerSpec, request: GatewayRequest): string {
  const [, where, name = ""] = IDENTITY_SOURCE.exec(authorizer.identitySources[0] ?? "") ?? [];
  const values =
    where === "header"
      ? valuesOf(request.headers, name.toLowerCase())
      : valuesOf(request.query, name);
  return values.join(",");
}

/** The token's scopes: `scope` (space-separated) and `scp` (a list or space-separated). */
function tokenScopes(claims: JWTPayload): string[] {
  const listed = [claims.scope, claims.scp].flatMap((value) =>
    typeof value === "string" ? value.split(" ") : Array.isArray(value) ? value : [],
  );
  return listed.filter((scope): scope is string => typeof scope === "string" && scope !== "");
}

/**
 * The claim checks: `iss` is the configured issuer; `aud`, or `client_id` only when there is
 * no `aud`, is a configured audience; `exp` is required and in the future; `nbf` and `iat`,
 * when present, are not in the future. `token_use` is not checked: API Gateway does not
 * distinguish ID from access tokens.
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

/**
 * The claims as API Gateway hands them to the function: strings, lists as `[a b]`, other
 * objects as JSON; a claim whose value is null is left out.
 */
export function stringClaims(payload: JWTPayload): Record<string, string> {
  const claims = new Map<string, string>();
  for (const [key, value] of Object.entries(payload)) {
    if (value === null) continue;
    claims.set(
      key,
      Array.isArray(value)
        ? `[${value.join(" ")}]`
        : typeof value === "string"
          ? value
          : JSON.stringify(value),
    );
  }
  return Object.fromEntries(claims);
}
