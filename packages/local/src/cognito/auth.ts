import { randomBytes, randomUUID } from "node:crypto";
import {
  CognitoError,
  InvalidParameterError,
  NotAuthorizedError,
  PasswordResetRequiredError,
  UserNotConfirmedException,
} from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { Services } from "cognito-local/lib/services/index.js";
import type { Tokens } from "cognito-local/lib/services/tokenGenerator.js";
import {
  attributesToRecord,
  type User,
  type UserPoolService,
} from "cognito-local/lib/services/userPoolService.js";
import { passwordAttempt } from "./lockout";
import { assertPasswordAllowed } from "./password-policy";
import type { PoolStates } from "./pool-state";
import type { SessionTokens } from "./sessions";
import { createChallenge, poolName, type SrpChallenge, verifyPasswordClaim } from "./srp";

type Parameters = Record<string, string | undefined>;

interface InitiateAuthRequest {
  AuthFlow: string;
  ClientId: string;
  UserPoolId?: string;
  AuthParameters?: Parameters;
  ClientMetadata?: Record<string, string>;
}

interface RespondToAuthChallengeRequest {
  ChallengeName: string;
  ClientId: string;
  ChallengeResponses?: Parameters;
  ClientMetadata?: Record<string, string>;
  Session?: string;
}

interface GetTokensFromRefreshTokenRequest {
  ClientId: string;
  RefreshToken?: string;
  ClientMetadata?: Record<string, string>;
}

/** The client setting (ExplicitAuthFlows) each InitiateAuth flow needs. */
const FLOW_PERMISSIONS: Record<string, string> = {
  USER_SRP_AUTH: "ALLOW_USER_SRP_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  REFRESH_TOKEN_AUTH: "ALLOW_REFRESH_TOKEN_AUTH",
  REFRESH_TOKEN: "ALLOW_REFRESH_TOKEN_AUTH",
  CUSTOM_AUTH: "ALLOW_CUSTOM_AUTH",
  USER_AUTH: "ALLOW_USER_AUTH",
};

/** The same for AdminInitiateAuth. */
const ADMIN_FLOW_PERMISSIONS: Record<string, string> = {
  ADMIN_USER_PASSWORD_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  REFRESH_TOKEN_AUTH: "ALLOW_REFRESH_TOKEN_AUTH",
  REFRESH_TOKEN: "ALLOW_REFRESH_TOKEN_AUTH",
};

/** The legacy names of the ALLOW_ settings, which a client may still carry. */
const LEGACY_FLOW_NAMES: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  CUSTOM_AUTH_FLOW_ONLY: "ALLOW_CUSTOM_AUTH",
};

/** What a client allows when ExplicitAuthFlows is empty (Cognito's documented default). */
const DEFAULT_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];

/** Cognito's default AuthSessionValidity. */
const SESSION_TTL_MS = 3 * 60_000;

interface SrpSession {
  challenge: SrpChallenge;
  srpA: string;
  clientId: string;
  userPoolId: string;
  /** The user's stored Username (the sub), or undefined for an unknown user. */
  username: string | undefined;
  userIdForSrp: string;
  expires: number;
}

const incorrect = () => new NotAuthorizedError("Incorrect username or password.");

async function appClient(services: Services, ctx: Context, clientId: string): Promise<AppClient> {
  const client = await services.cognito.getAppClient(ctx, clientId);
  if (!client) {
    throw new CognitoError(
      "ResourceNotFoundException",
      `User pool client ${clientId} does not exist.`,
    );
  }
  return client;
}

function allowedFlows(client: AppClient): string[] {
  const flows = client.ExplicitAuthFlows ?? [];
  if (flows.length === 0) return DEFAULT_FLOWS;
  return flows.map((flow) => LEGACY_FLOW_NAMES[flow] ?? flow);
}

function assertFlowAllowed(client: AppClient, flow: string) {
  const needed = FLOW_PERMISSIONS[flow];
  if (!needed) throw new InvalidParameterError(`Unsupported auth flow ${flow}`);
  if (!allowedFlows(client).includes(needed)) {
    throw new InvalidParameterError(`${flow} flow not enabled for this client`);
  }
}

function assertAdminFlowAllowed(client: AppClient, flow: string) {
  const needed = ADMIN_FLOW_PERMISSIONS[flow];
  if (!needed) throw new InvalidParameterError(`Unsupported auth flow ${flow}`);
  if (!allowedFlows(client).includes(needed)) {
    throw new InvalidParameterError("Auth flow not enabled for this client");
  }
}

/** AWS reports the access token's lifetime and type beside the tokens. */
function withTokenMetadata<T extends Partial<Tokens>>(tokens: T) {
  const payload = tokens.AccessToken?.split(".")[1];
  let expiresIn: number | undefined;
  if (payload) {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      exp?: number;
      iat?: number;
    };
    if (claims.exp !== undefined && claims.iat !== undefined) expiresIn = claims.exp - claims.iat;
  }
  return { ...tokens, ExpiresIn: expiresIn, TokenType: "Bearer" };
}

/** A uuid-shaped (version 4) rendering of 16 bytes. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function newPasswordChallenge(user: User) {
  const { sub: _sub, ...attributes } = attributesToRecord(user.Attributes);
  return {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.Username,
      requiredAttributes: "[]",
      userAttributes: JSON.stringify(attributes),
    },
    Session: randomUUID(),
  };
}

/**
 * InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
 * GetTokensFromRefreshToken: USER_SRP_AUTH with its PASSWORD_VERIFIER
 * challenge (indistinguishable for unknown users), the password flows,
 * the client's allowed flows for both APIs, an unconfirmed user told so
 * before any password check, and refresh within the sign-in's session.
 */
export function authTargets(
  services: Services,
  delegate: Router,
  tokens: SessionTokens,
  states: PoolStates,
) {
  const sessions = new Map<string, SrpSession>();
  const now = () => services.clock.get().getTime();

  const dropExpired = (at: number) => {
    for (const [key, session] of sessions) if (session.expires < at) sessions.delete(key);
  };

  const issueTokens = async (
    ctx: Context,
    userPool: UserPoolService,
    user: User,
    client: AppClient,
  ) => {
    const groups = await userPool.listUserGroupMembership(ctx, user);
    const issued = await services.tokenGenerator.generate(
      ctx,
      user,
      groups,
      client,
      undefined,
      "Authentication",
    );
    return { ChallengeParameters: {}, AuthenticationResult: withTokenMetadata(issued) };
  };

  /** Applies Cognito's lockout after failed passwords (see lockout.ts); throws on failure. */
  const checkPassword = async (
    ctx: Context,
    userPool: UserPoolService,
    user: User,
    passwordIsRight: () => boolean,
  ) => {
    const attempt = passwordAttempt(user, passwordIsRight, now());
    if (attempt.user) await userPool.saveUser(ctx, attempt.user);
    if (attempt.error) throw attempt.error;
  };

  const startSrp = async (ctx: Context, req: InitiateAuthRequest, client: AppClient) => {
    const username = req.AuthParameters?.USERNAME;
    const srpA = req.AuthParameters?.SRP_A;
    if (!username) throw new InvalidParameterError("Missing required parameter USERNAME");
    if (!srpA) throw new InvalidParameterError("Missing required parameter SRP_A");
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, username);
    if (!user && client.PreventUserExistenceErrors !== "ENABLED") {
      throw new CognitoError("UserNotFoundException", "User does not exist.");
    }
    if (user && !user.Enabled) throw new NotAuthorizedError("User is disabled.");
    const state = await states.of(userPool.options.Id);
    // For a name no user has, Cognito answers with the same salt and a
    // uuid-shaped user id every time (RFC 5054's simulated response), then
    // fails the password step; both are derived from the pool's secret.
    const userIdForSrp =
      user?.Username ?? uuidFrom(state.hmac("unknown-user-id", username.toLowerCase()));
    const salt = state
      .hmac("srp-salt", userIdForSrp, user?.Password ?? "")
      .subarray(0, 16)
      .toString("hex");
    const challenge = createChallenge(
      poolName(userPool.options.Id),
      userIdForSrp,
      user?.Password ?? randomBytes(32).toString("hex"),
      salt,
    );
    const at = now();
    dropExpired(at);
    sessions.set(challenge.secretBlock, {
      challenge,
      srpA,
      clientId: req.ClientId,
      userPoolId: userPool.options.Id,
      username: user?.Username,
      userIdForSrp,
      expires: at + SESSION_TTL_MS,
    });
    return {
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeParameters: {
        SALT: challenge.salt,
        SECRET_BLOCK: challenge.secretBlock,
        SRP_B: challenge.srpB,
        USERNAME: userIdForSrp,
        USER_ID_FOR_SRP: userIdForSrp,
      },
    };
  };

  const answerPasswordVerifier = async (
    ctx: Context,
    req: RespondToAuthChallengeRequest,
    client: AppClient,
  ) => {
    const responses = req.ChallengeResponses ?? {};
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK;
    const signature = responses.PASSWORD_CLAIM_SIGNATURE;
    const timestamp = responses.TIMESTAMP;
    if (!secretBlock || !signature || !timestamp || !responses.USERNAME) {
      throw new InvalidParameterError(
        "Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP or USERNAME",
      );
    }
    const session = sessions.get(secretBlock);
    sessions.delete(secretBlock);
    if (!session || session.expires < now() || session.clientId !== req.ClientId) {
      throw new NotAuthorizedError("Invalid session for the user, session is expired.");
    }
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = session.username ? await userPool.getUserByUsername(ctx, session.username) : null;
    const named = await userPool.getUserByUsername(ctx, responses.USERNAME);
    if (!user || named?.Username !== user.Username) throw incorrect();
    if (!user.Enabled) throw new NotAuthorizedError("User is disabled.");
    // Cognito tells an unconfirmed user so whatever the password.
    if (user.UserStatus === "UNCONFIRMED") throw new UserNotConfirmedException();
    await checkPassword(ctx, userPool, user, () =>
      verifyPasswordClaim(poolName(session.userPoolId), session.userIdForSrp, session.challenge, {
        srpA: session.srpA,
        timestamp,
        signature,
      }),
    );
    if (user.UserStatus === "RESET_REQUIRED") throw new PasswordResetRequiredError();
    if (user.UserStatus === "FORCE_CHANGE_PASSWORD") return newPasswordChallenge(user);
    return issueTokens(ctx, userPool, user, client);
  };

  /** USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH. */
  const passwordFlow = async (ctx: Context, req: InitiateAuthRequest, client: AppClient) => {
    const username = req.AuthParameters?.USERNAME;
    const password = req.AuthParameters?.PASSWORD;
    if (!username || password === undefined) {
      throw new InvalidParameterError("Missing required parameter USERNAME or PASSWORD");
    }
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, username);
    if (!user) {
      if (client.PreventUserExistenceErrors === "ENABLED") throw incorrect();
      throw new CognitoError("UserNotFoundException", "User does not exist.");
    }
    if (!user.Enabled) throw new NotAuthorizedError("User is disabled.");
    if (user.UserStatus === "UNCONFIRMED") throw new UserNotConfirmedException();
    await checkPassword(ctx, userPool, user, () => user.Password === password);
    if (user.UserStatus === "RESET_REQUIRED") throw new PasswordResetRequiredError();
    if (user.UserStatus === "FORCE_CHANGE_PASSWORD") return newPasswordChallenge(user);
    return issueTokens(ctx, userPool, user, client);
  };

  const refresh = async (ctx: Context, client: AppClient, refreshToken: string | undefined) => {
    if (!refreshToken) throw new InvalidParameterError("Missing required parameter REFRESH_TOKEN");
    const userPool = await services.cognito.getUserPoolForClientId(ctx, client.ClientId);
    return withTokenMetadata(await tokens.refresh(ctx, userPool, client, refreshToken));
  };

  const InitiateAuth: Route = async (ctx, req: InitiateAuthRequest) => {
    const client = await appClient(services, ctx, req.ClientId);
    assertFlowAllowed(client, req.AuthFlow);
    if (req.AuthFlow === "USER_SRP_AUTH") return startSrp(ctx, req, client);
    if (req.AuthFlow === "USER_PASSWORD_AUTH") return passwordFlow(ctx, req, client);
    if (req.AuthFlow === "REFRESH_TOKEN_AUTH" || req.AuthFlow === "REFRESH_TOKEN") {
      return {
        ChallengeParameters: {},
        AuthenticationResult: await refresh(ctx, client, req.AuthParameters?.REFRESH_TOKEN),
      };
    }
    return delegate("InitiateAuth")(ctx, req);
  };

  const AdminInitiateAuth: Route = async (ctx, req: InitiateAuthRequest) => {
    const client = await appClient(services, ctx, req.ClientId);
    if (req.UserPoolId !== undefined && client.UserPoolId !== req.UserPoolId) {
      throw new CognitoError(
        "ResourceNotFoundException",
        `User pool client ${req.ClientId} does not exist.`,
      );
    }
    assertAdminFlowAllowed(client, req.AuthFlow);
    if (req.AuthFlow === "REFRESH_TOKEN_AUTH" || req.AuthFlow === "REFRESH_TOKEN") {
      return {
        ChallengeParameters: {},
        AuthenticationResult: await refresh(ctx, client, req.AuthParameters?.REFRESH_TOKEN),
      };
    }
    return passwordFlow(ctx, req, client);
  };

  const RespondToAuthChallenge: Route = async (ctx, req: RespondToAuthChallengeRequest) => {
    const client = await appClient(services, ctx, req.ClientId);
    if (req.ChallengeName === "PASSWORD_VERIFIER") return answerPasswordVerifier(ctx, req, client);
    if (req.ChallengeName === "NEW_PASSWORD_REQUIRED") {
      assertPasswordAllowed(req.ChallengeResponses?.NEW_PASSWORD, "newPassword");
    }
    return delegate("RespondToAuthChallenge")(ctx, req);
  };

  const GetTokensFromRefreshToken: Route = async (ctx, req: GetTokensFromRefreshTokenRequest) => {
    const client = await appClient(services, ctx, req.ClientId);
    assertFlowAllowed(client, "REFRESH_TOKEN_AUTH");
    return { AuthenticationResult: await refresh(ctx, client, req.RefreshToken) };
  };

  return { InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken };
}
