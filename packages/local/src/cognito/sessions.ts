import {
  createPrivateKey,
  createPublicKey,
  randomBytes,
  randomUUID,
  sign,
  verify,
} from "node:crypto";
import { createRequire } from "node:module";
import { CognitoError, NotAuthorizedError } from "cognito-local/lib/errors.js";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import type { Clock } from "cognito-local/lib/services/clock.js";
import type { CognitoService } from "cognito-local/lib/services/cognitoService.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { TokenGenerator, Tokens } from "cognito-local/lib/services/tokenGenerator.js";
import {
  attributesToRecord,
  type User,
  type UserPoolService,
} from "cognito-local/lib/services/userPoolService.js";
import type { PoolStates } from "./pool-state";

/** The key cognito-local ships and serves in its JWKS: local use only, anyone can sign with it. */
const signingKey = (() => {
  const require = createRequire(import.meta.url);
  const { pem } = require("cognito-local/lib/keys/cognitoLocal.private.json") as { pem: string };
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey), kid: "CognitoLocal" };
})();

const HOUR = 3600;
const DAY = 86_400;
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: HOUR, days: DAY };

/** A client's token lifetime in seconds (the unit defaults as in Cognito's API). */
function lifetime(
  value: number | undefined,
  unit: string | undefined,
  defaultUnit: "hours" | "days",
  defaultSeconds: number,
) {
  if (value === undefined) return defaultSeconds;
  return value * (UNIT_SECONDS[unit ?? defaultUnit] ?? UNIT_SECONDS[defaultUnit] ?? 1);
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");

function signJwt(payload: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ kid: signingKey.kid, alg: "RS256" }));
  const body = base64url(JSON.stringify(payload));
  const signature = sign("sha256", Buffer.from(`${header}.${body}`), signingKey.privateKey);
  return `${header}.${body}.${base64url(signature)}`;
}

/** The claims of a token this pool signed, or undefined for anything else. */
function verifiedClaims(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== "string") return undefined;
  const [header, body, signature, ...rest] = token.split(".");
  if (!header || !body || !signature || rest.length > 0) return undefined;
  try {
    const valid = verify(
      "sha256",
      Buffer.from(`${header}.${body}`),
      signingKey.publicKey,
      Buffer.from(signature, "base64url"),
    );
    if (!valid) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    return typeof claims === "object" && claims !== null
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Cognito's refresh tokens are opaque (an encrypted JWT, five dot-separated
 * parts); clients store them and send them back, nothing more.
 */
function opaqueRefreshToken(): string {
  const header = base64url(JSON.stringify({ cty: "JWT", enc: "A256GCM", alg: "RSA-OAEP" }));
  return [header, randomBytes(256), randomBytes(12), randomBytes(128), randomBytes(16)]
    .map((part) => (typeof part === "string" ? part : base64url(part)))
    .join(".");
}

export interface AccessTokenClaims {
  sub: string;
  username: string;
  client_id: string;
  origin_jti?: string;
}

export interface SessionTokensOptions {
  clock: Clock;
  /** Tokens carry `iss` = `<issuerDomain>/<userPoolId>`. */
  issuerDomain: string;
  states: PoolStates;
  cognito: () => CognitoService;
}

/**
 * Issues ID, access and refresh tokens as Cognito does with token revocation
 * on: each sign-in starts a session with its own `origin_jti`, shared by every
 * ID and access token minted from its refresh token, and with the original
 * `auth_time`. Sessions live in the pool's state file, so RevokeToken and
 * GlobalSignOut hold across restarts. Replaces cognito-local's generator,
 * which has no sessions and cannot revoke anything.
 */
export class SessionTokens implements TokenGenerator {
  constructor(private readonly options: SessionTokensOptions) {}

  private nowSeconds() {
    return Math.floor(this.options.clock.get().getTime() / 1000);
  }

  /** A new sign-in (every source cognito-local passes here starts one). */
  async generate(
    _ctx: Context,
    user: User,
    userGroups: readonly string[],
    client: AppClient,
  ): Promise<Tokens> {
    const state = await this.options.states.of(client.UserPoolId);
    const now = this.nowSeconds();
    const originJti = randomUUID();
    const refreshToken = opaqueRefreshToken();
    // Cognito's default refresh token lifetime is 30 days.
    const refreshLifetime = lifetime(
      client.RefreshTokenValidity,
      client.TokenValidityUnits?.RefreshToken,
      "days",
      30 * DAY,
    );
    await state.addSession(
      originJti,
      {
        username: user.Username,
        clientId: client.ClientId,
        authTime: now,
        refreshExpiresAt: now + refreshLifetime,
      },
      refreshToken,
      now,
    );
    return {
      ...this.mint(user, userGroups, client, { originJti, authTime: now }),
      RefreshToken: refreshToken,
    };
  }

  /** New ID and access tokens for a refresh token, in the same session. */
  async refresh(
    ctx: Context,
    userPool: UserPoolService,
    client: AppClient,
    refreshToken: string,
  ): Promise<Pick<Tokens, "AccessToken" | "IdToken">> {
    const state = await this.options.states.of(client.UserPoolId);
    const found = state.findByRefreshToken(refreshToken);
    if (!found || found.session.clientId !== client.ClientId) {
      throw new NotAuthorizedError("Invalid Refresh Token");
    }
    const { originJti, session } = found;
    if (session.revokedAt !== undefined) {
      throw new NotAuthorizedError("Refresh Token has been revoked");
    }
    if (session.refreshExpiresAt <= this.nowSeconds()) {
      throw new NotAuthorizedError("Refresh Token has expired");
    }
    const user = await userPool.getUserByUsername(ctx, session.username);
    if (!user) throw new NotAuthorizedError("User does not exist.");
    if (!user.Enabled) throw new NotAuthorizedError("User is disabled.");
    const groups = await userPool.listUserGroupMembership(ctx, user);
    return this.mint(user, groups, client, { originJti, authTime: session.authTime });
  }

  /**
   * RevokeToken: ends the session of a refresh token. Revoking a token that is
   * unknown or already revoked changes nothing and succeeds, as the OAuth
   * revocation endpoint does (RFC 7009).
   */
  async revoke(client: AppClient, refreshToken: string) {
    if (client.EnableTokenRevocation === false) {
      throw new CognitoError(
        "UnsupportedOperationException",
        "Token revocation is not enabled for this client.",
      );
    }
    const state = await this.options.states.of(client.UserPoolId);
    const found = state.findByRefreshToken(refreshToken);
    if (!found) return;
    if (found.session.clientId !== client.ClientId) {
      throw new CognitoError("UnauthorizedException", "Invalid client for this refresh token.");
    }
    await state.revoke(found.originJti, this.nowSeconds());
  }

  /** GlobalSignOut / AdminUserGlobalSignOut: every session of the user ends. */
  async revokeAllOf(userPoolId: string, username: string) {
    const state = await this.options.states.of(userPoolId);
    await state.revokeAllOf(username, this.nowSeconds());
  }

  /**
   * What the pool's own APIs (GetUser, UpdateUserAttributes, GlobalSignOut…)
   * check before acting on an access token: this pool signed it, it is an
   * access token, it has not expired by the local clock, and its session was
   * not revoked.
   */
  async verifyAccessToken(ctx: Context, token: unknown): Promise<AccessTokenClaims> {
    const claims = verifiedClaims(token);
    const invalid = () => new NotAuthorizedError("Invalid Access Token");
    if (claims?.token_use !== "access") throw invalid();
    const { iss, exp, sub, username, client_id: clientId, origin_jti: originJti } = claims;
    const prefix = `${this.options.issuerDomain}/`;
    if (typeof iss !== "string" || !iss.startsWith(prefix)) throw invalid();
    if (typeof sub !== "string" || typeof username !== "string" || typeof clientId !== "string") {
      throw invalid();
    }
    if (typeof exp !== "number" || exp <= this.nowSeconds()) {
      throw new NotAuthorizedError("Access Token has expired");
    }
    const userPoolId = iss.slice(prefix.length);
    try {
      await this.options.cognito().getUserPool(ctx, userPoolId);
    } catch {
      throw invalid();
    }
    if (typeof originJti === "string") {
      const session = (await this.options.states.of(userPoolId)).session(originJti);
      if (session?.revokedAt !== undefined) {
        throw new NotAuthorizedError("Access Token has been revoked");
      }
    }
    return {
      sub,
      username,
      client_id: clientId,
      ...(typeof originJti === "string" ? { origin_jti: originJti } : {}),
    };
  }

  private mint(
    user: User,
    groups: readonly string[],
    client: AppClient,
    session: { originJti: string; authTime: number },
  ): Pick<Tokens, "AccessToken" | "IdToken"> {
    const iat = this.nowSeconds();
    const iss = `${this.options.issuerDomain}/${client.UserPoolId}`;
    const { sub, ...attributes } = attributesToRecord(user.Attributes);
    const idAttributes: Record<string, string | boolean> = { ...attributes };
    for (const flag of ["email_verified", "phone_number_verified"]) {
      const value = attributes[flag];
      if (value !== undefined) idAttributes[flag] = value === "true";
    }
    // With token revocation off, Cognito leaves origin_jti out and the tokens cannot be revoked.
    const origin = client.EnableTokenRevocation === false ? {} : { origin_jti: session.originJti };
    const eventId = randomUUID();
    const memberOf = groups.length > 0 ? { "cognito:groups": [...groups] } : {};
    const accessLifetime = lifetime(
      client.AccessTokenValidity,
      client.TokenValidityUnits?.AccessToken,
      "hours",
      HOUR,
    );
    const idLifetime = lifetime(
      client.IdTokenValidity,
      client.TokenValidityUnits?.IdToken,
      "hours",
      HOUR,
    );
    const access = {
      sub,
      ...memberOf,
      iss,
      client_id: client.ClientId,
      ...origin,
      event_id: eventId,
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
      auth_time: session.authTime,
      exp: iat + accessLifetime,
      iat,
      jti: randomUUID(),
      username: user.Username,
    };
    const id = {
      ...idAttributes,
      sub,
      ...memberOf,
      iss,
      "cognito:username": user.Username,
      ...origin,
      aud: client.ClientId,
      event_id: eventId,
      token_use: "id",
      auth_time: session.authTime,
      exp: iat + idLifetime,
      iat,
      jti: randomUUID(),
    };
    return { AccessToken: signJwt(access), IdToken: signJwt(id) };
  }
}
