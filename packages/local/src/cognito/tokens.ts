import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { UserPoolClientSpec } from "../spec";
import { clientMayRead } from "./attributes";
import { nowMs, type Services } from "./context";
import { CognitoError, missing, notAuthorized } from "./errors";
import type { Pool } from "./pool";
import { type Claims, preTokenGeneration, type TokenSource } from "./pre-token-generation";
import { key } from "./store";
import type { StoredUser } from "./user";

/**
 * One sign-in: the refresh token it issued and every ID and access token
 * minted from it (they share its `origin_jti`). Revoking it is what
 * RevokeToken and GlobalSignOut do; it is kept in the store, so a
 * revocation outlasts a restart.
 */
interface SignInSession {
  username: string;
  clientId: string;
  /** Seconds since the epoch: the tokens' `auth_time`. */
  authTime: number;
  refreshExpiresAt: number;
  revokedAt?: number;
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/** A client's token lifetime in seconds; units and defaults as Cognito's API has them. */
function lifetime(
  value: number | undefined,
  unit: string | undefined,
  fallback: number,
  defaultUnit: string,
) {
  if (value === undefined) return fallback;
  return value * (UNIT_SECONDS[unit ?? defaultUnit] ?? 1);
}

export const accessLifetime = (c: UserPoolClientSpec) =>
  lifetime(c.accessTokenValidity, c.tokenValidityUnits.accessToken, 3600, "hours");
const idLifetime = (c: UserPoolClientSpec) =>
  lifetime(c.idTokenValidity, c.tokenValidityUnits.idToken, 3600, "hours");
const refreshLifetime = (c: UserPoolClientSpec) =>
  lifetime(c.refreshTokenValidity, c.tokenValidityUnits.refreshToken, 30 * 86_400, "days");

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const b64 = (value: Buffer | string) => Buffer.from(value).toString("base64url");

/**
 * Cognito's refresh tokens are opaque (an encrypted JWT, five dot-separated
 * parts); clients store them and send them back, nothing more.
 */
function opaqueRefreshToken(): string {
  const header = b64(JSON.stringify({ cty: "JWT", enc: "A256GCM", alg: "RSA-OAEP" }));
  return [
    header,
    b64(randomBytes(256)),
    b64(randomBytes(12)),
    b64(randomBytes(128)),
    b64(randomBytes(16)),
  ].join(".");
}

export const issuerOf = (services: Services, poolId: string) =>
  `https://cognito-idp.${services.region}.amazonaws.com/${poolId}`;

const seconds = (services: Services) => Math.floor(nowMs(services) / 1000);
const sessionKey = (pool: Pool, originJti: string) => key(pool.id, "s", originJti);

export interface MintInput {
  pool: Pool;
  client: UserPoolClientSpec;
  user: StoredUser;
  source: TokenSource;
  clientMetadata?: Record<string, string> | undefined;
}

/** ID and access tokens for a session, after Pre token generation had its say. */
async function mint(services: Services, input: MintInput, originJti: string, authTime: number) {
  const { pool, client, user } = input;
  const iat = seconds(services);
  const iss = issuerOf(services, pool.id);
  const groups = await pool.groupsOf(user.username);
  const { sub, ...rest } = user.attributes;
  const readable = Object.fromEntries(
    Object.entries(user.attributes).filter(([name]) => clientMayRead(client, name)),
  );
  const profile: Claims = {};
  for (const [name, value] of Object.entries(rest)) {
    if (!clientMayRead(client, name)) continue;
    profile[name] = name.endsWith("_verified") ? value === "true" : value;
  }
  const origin = client.enableTokenRevocation ? { origin_jti: originJti } : {};
  const memberOf = groups.length > 0 ? { "cognito:groups": groups } : {};
  const eventId = randomUUID();
  const access: Claims = {
    sub,
    ...memberOf,
    iss,
    client_id: client.id,
    ...origin,
    event_id: eventId,
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    auth_time: authTime,
    exp: iat + accessLifetime(client),
    iat,
    jti: randomUUID(),
    username: user.username,
  };
  const id: Claims = {
    ...profile,
    sub,
    ...memberOf,
    iss,
    "cognito:username": user.username,
    ...origin,
    aud: client.id,
    event_id: eventId,
    token_use: "id",
    auth_time: authTime,
    exp: iat + idLifetime(client),
    iat,
    jti: randomUUID(),
  };
  await preTokenGeneration(services, pool, {
    user,
    client,
    source: input.source,
    groups,
    id,
    access,
    readable,
    clientMetadata: input.clientMetadata,
  });
  return {
    AccessToken: pool.keys.sign("access", access),
    IdToken: pool.keys.sign("id", id),
    ExpiresIn: accessLifetime(client),
    TokenType: "Bearer",
  };
}

/** A new sign-in: a session with its own `origin_jti` and refresh token. */
export async function issueTokens(services: Services, input: MintInput) {
  const { pool, client, user } = input;
  const now = seconds(services);
  const originJti = randomUUID();
  const tokens = await mint(services, input, originJti, now);
  const refreshToken = opaqueRefreshToken();
  const session: SignInSession = {
    username: user.username,
    clientId: client.id,
    authTime: now,
    refreshExpiresAt: now + refreshLifetime(client),
  };
  await pool.store.batch([
    { type: "put", key: sessionKey(pool, originJti), value: session },
    { type: "put", key: key(pool.id, "r", hashToken(refreshToken)), value: originJti },
    { type: "put", key: key(pool.id, "us", pool.fold(user.username), originJti), value: 1 },
  ]);
  return { ...tokens, RefreshToken: refreshToken };
}

async function findSession(pool: Pool, refreshToken: string) {
  const originJti = await pool.store.get<string>(key(pool.id, "r", hashToken(refreshToken)));
  const session = originJti
    ? await pool.store.get<SignInSession>(sessionKey(pool, originJti))
    : undefined;
  return originJti && session ? { originJti, session } : undefined;
}

/** New ID and access tokens for a refresh token, in its session (no new refresh token). */
export async function refreshTokens(
  services: Services,
  pool: Pool,
  client: UserPoolClientSpec,
  refreshToken: string,
  clientMetadata?: Record<string, string>,
) {
  const found = await findSession(pool, refreshToken);
  if (!found || found.session.clientId !== client.id) throw notAuthorized("Invalid Refresh Token");
  const { originJti, session } = found;
  if (session.revokedAt !== undefined) throw notAuthorized("Refresh Token has been revoked");
  if (session.refreshExpiresAt <= seconds(services))
    throw notAuthorized("Refresh Token has expired");
  const user = await pool.getUser(session.username);
  if (!user) throw notAuthorized("User does not exist.");
  if (!user.enabled) throw notAuthorized("User is disabled.");
  const input = {
    pool,
    client,
    user,
    source: "TokenGeneration_RefreshTokens" as const,
    clientMetadata,
  };
  return mint(services, input, originJti, session.authTime);
}

/**
 * RevokeToken: ends the session of a refresh token. Revoking a token that is
 * unknown or already revoked changes nothing and succeeds, as the OAuth
 * revocation endpoint does (RFC 7009).
 */
export async function revokeToken(
  services: Services,
  pool: Pool,
  client: UserPoolClientSpec,
  token: string,
) {
  if (!client.enableTokenRevocation) {
    throw new CognitoError(
      "UnsupportedOperationException",
      "Token revocation is not enabled for this client.",
    );
  }
  const found = await findSession(pool, token);
  if (!found) return;
  if (found.session.clientId !== client.id) {
    throw new CognitoError("UnauthorizedException", "Invalid client for this refresh token.");
  }
  if (found.session.revokedAt !== undefined) return;
  await pool.store.put(sessionKey(pool, found.originJti), {
    ...found.session,
    revokedAt: seconds(services),
  });
}

/** GlobalSignOut / AdminUserGlobalSignOut: every session of the user ends. */
export async function revokeAllOf(services: Services, pool: Pool, username: string) {
  const now = seconds(services);
  for await (const [originJti] of pool.store.entries(key(pool.id, "us", pool.fold(username)))) {
    const session = await pool.store.get<SignInSession>(sessionKey(pool, originJti));
    if (session && session.revokedAt === undefined) {
      await pool.store.put(sessionKey(pool, originJti), { ...session, revokedAt: now });
    }
  }
}

/**
 * What the pool's own APIs (GetUser, UpdateUserAttributes, GlobalSignOut…)
 * check before acting on an access token: a pool served here signed it with
 * its access key, it has not expired by the local clock, its session was
 * not revoked, and its user still exists.
 */
export async function verifyAccessToken(services: Services, token: unknown) {
  const invalid = () => notAuthorized("Invalid Access Token");
  if (token === undefined || token === null || token === "") throw missing("accessToken");
  if (typeof token !== "string") throw invalid();
  let claims: Claims | undefined;
  let pool: Pool | undefined;
  try {
    const payload = JSON.parse(
      Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"),
    );
    const poolId = typeof payload?.iss === "string" ? payload.iss.split("/").at(-1) : undefined;
    pool = services.pools.all().find((p) => p.id === poolId);
    claims = pool?.keys.verify("access", token);
  } catch {
    throw invalid();
  }
  if (
    !pool ||
    !claims ||
    claims.token_use !== "access" ||
    claims.iss !== issuerOf(services, pool.id)
  ) {
    throw invalid();
  }
  const { exp, username, client_id: clientId, origin_jti: originJti } = claims;
  if (typeof username !== "string" || typeof clientId !== "string") throw invalid();
  if (typeof exp !== "number" || exp <= seconds(services))
    throw notAuthorized("Access Token has expired");
  const client = pool.client(clientId);
  if (!client) throw invalid();
  if (typeof originJti === "string") {
    const session = await pool.store.get<SignInSession>(sessionKey(pool, originJti));
    if (session?.revokedAt !== undefined) throw notAuthorized("Access Token has been revoked");
  }
  const user = await pool.getUser(username);
  if (!user) throw notAuthorized("User does not exist.");
  return { pool, client, user, claims };
}
