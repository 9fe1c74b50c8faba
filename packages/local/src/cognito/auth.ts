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
import { attributesToRecord } from "cognito-local/lib/services/userPoolService.js";
import { assertPasswordAllowed } from "./password-policy";
import { createChallenge, poolName, type SrpChallenge, verifyPasswordClaim } from "./srp";

type Parameters = Record<string, string | undefined>;

interface InitiateAuthRequest {
  AuthFlow: string;
  ClientId: string;
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

function assertFlowAllowed(client: AppClient, flow: string) {
  const needed = FLOW_PERMISSIONS[flow];
  if (!needed) throw new InvalidParameterError(`Unsupported auth flow ${flow}`);
  const allowed = client.ExplicitAuthFlows;
  if (allowed && allowed.length > 0 && !allowed.includes(needed)) {
    throw new InvalidParameterError(`${flow} flow not enabled for this client`);
  }
}

/** AWS reports the access token's lifetime and type beside the tokens; cognito-local omits them. */
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

/** cognito-local answers a wrong password with InvalidPasswordException; Cognito does not say which part was wrong. */
async function passwordFlow<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (error) {
    if (error instanceof CognitoError && error.code === "InvalidPasswordException")
      throw incorrect();
    if (error instanceof NotAuthorizedError && error.message === "User not authorized") {
      throw incorrect();
    }
    throw error;
  }
}

/**
 * InitiateAuth, RespondToAuthChallenge and GetTokensFromRefreshToken:
 * USER_SRP_AUTH with its PASSWORD_VERIFIER challenge, the client's
 * ExplicitAuthFlows enforced, and refresh as Amplify v6 calls it.
 */
export function authTargets(services: Services, delegate: Router) {
  const sessions = new Map<string, SrpSession>();

  const dropExpired = (now: number) => {
    for (const [key, session] of sessions) if (session.expires < now) sessions.delete(key);
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
    const userIdForSrp = user?.Username ?? username;
    const pool = poolName(userPool.options.Id);
    // An unknown user gets a challenge no password can answer: with
    // PreventUserExistenceErrors the failure looks like a wrong password.
    const challenge = createChallenge(
      pool,
      userIdForSrp,
      user?.Password ?? randomBytes(32).toString("hex"),
    );
    const now = Date.now();
    dropExpired(now);
    sessions.set(challenge.secretBlock, {
      challenge,
      srpA,
      clientId: req.ClientId,
      userPoolId: userPool.options.Id,
      username: user?.Username,
      userIdForSrp,
      expires: now + SESSION_TTL_MS,
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
    if (!session || session.expires < Date.now() || session.clientId !== req.ClientId) {
      throw new NotAuthorizedError("Invalid session for the user, session is expired.");
    }
    const userPool = await services.cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = session.username ? await userPool.getUserByUsername(ctx, session.username) : null;
    const named = await userPool.getUserByUsername(ctx, responses.USERNAME);
    if (!user || named?.Username !== user.Username) throw incorrect();
    const valid = verifyPasswordClaim(
      poolName(session.userPoolId),
      session.userIdForSrp,
      session.challenge,
      { srpA: session.srpA, timestamp, signature },
    );
    if (!valid) throw incorrect();
    if (!user.Enabled) throw new NotAuthorizedError("User is disabled.");
    if (user.UserStatus === "UNCONFIRMED") throw new UserNotConfirmedException();
    if (user.UserStatus === "RESET_REQUIRED") throw new PasswordResetRequiredError();
    if (user.UserStatus === "FORCE_CHANGE_PASSWORD") {
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
    const groups = await userPool.listUserGroupMembership(ctx, user);
    const tokens = await services.tokenGenerator.generate(
      ctx,
      user,
      groups,
      client,
      req.ClientMetadata,
      "Authentication",
    );
    await userPool.storeRefreshToken(ctx, tokens.RefreshToken, user);
    return { ChallengeParameters: {}, AuthenticationResult: withTokenMetadata(tokens) };
  };

  const refresh = async (ctx: Context, clientId: string, refreshToken: string | undefined) => {
    if (!refreshToken) throw new InvalidParameterError("Missing required parameter REFRESH_TOKEN");
    try {
      const result = (await delegate("InitiateAuth")(ctx, {
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      })) as { AuthenticationResult: Partial<Tokens> };
      const { AccessToken, IdToken } = result.AuthenticationResult;
      return withTokenMetadata({ AccessToken, IdToken });
    } catch (error) {
      if (error instanceof NotAuthorizedError)
        throw new NotAuthorizedError("Invalid Refresh Token");
      throw error;
    }
  };

  const InitiateAuth: Route = async (ctx, req: InitiateAuthRequest) => {
    const client = await appClient(services, ctx, req.ClientId);
    assertFlowAllowed(client, req.AuthFlow);
    if (req.AuthFlow === "USER_SRP_AUTH") return startSrp(ctx, req, client);
    if (req.AuthFlow === "REFRESH_TOKEN_AUTH" || req.AuthFlow === "REFRESH_TOKEN") {
      return {
        ChallengeParameters: {},
        AuthenticationResult: await refresh(ctx, req.ClientId, req.AuthParameters?.REFRESH_TOKEN),
      };
    }
    return passwordFlow(delegate("InitiateAuth")(ctx, req));
  };

  const AdminInitiateAuth: Route = async (ctx, req: InitiateAuthRequest) =>
    passwordFlow(delegate("AdminInitiateAuth")(ctx, req));

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
    return { AuthenticationResult: await refresh(ctx, req.ClientId, req.RefreshToken) };
  };

  return { InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken };
}
