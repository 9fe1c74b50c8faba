import { CognitoError, InvalidParameterError } from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";
import type { Services } from "cognito-local/lib/services/index.js";
import type { SessionTokens } from "./sessions";

/** The pool's own APIs that act on the caller's access token. */
const ACCESS_TOKEN_TARGETS = [
  "GetUser",
  "UpdateUserAttributes",
  "DeleteUser",
  "DeleteUserAttributes",
  "ChangePassword",
  "GetUserAttributeVerificationCode",
  "VerifyUserAttribute",
  "SetUserMFAPreference",
  "AssociateSoftwareToken",
  "VerifySoftwareToken",
] as const;

/**
 * RevokeToken, GlobalSignOut and AdminUserGlobalSignOut, and the access-token
 * check in front of every API that takes one: a revoked, expired or foreign
 * access token is refused as Cognito refuses it. (API Gateway's JWT
 * authorizer does not ask the pool, so there such a token still passes until
 * it expires, on AWS as locally.)
 */
export function signOutTargets(
  services: Services,
  delegate: Router,
  tokens: SessionTokens,
  /** Later overrides of the same targets, which the check must run in front of. */
  inner: Record<string, Route> = {},
) {
  const RevokeToken: Route = async (ctx, req: { ClientId?: string; Token?: string }) => {
    if (!req.Token) throw new InvalidParameterError("Missing required parameter Token");
    if (!req.ClientId) throw new InvalidParameterError("Missing required parameter ClientId");
    const client = await services.cognito.getAppClient(ctx, req.ClientId);
    if (!client) {
      throw new CognitoError(
        "ResourceNotFoundException",
        `User pool client ${req.ClientId} does not exist.`,
      );
    }
    await tokens.revoke(client, req.Token);
    return {};
  };

  const GlobalSignOut: Route = async (ctx, req: { AccessToken?: string }) => {
    if (!req.AccessToken) throw new InvalidParameterError("Missing required parameter AccessToken");
    const claims = await tokens.verifyAccessToken(ctx, req.AccessToken);
    const userPool = await services.cognito.getUserPoolForClientId(ctx, claims.client_id);
    await tokens.revokeAllOf(userPool.options.Id, claims.username);
    return {};
  };

  const AdminUserGlobalSignOut: Route = async (
    ctx,
    req: { UserPoolId?: string; Username?: string },
  ) => {
    if (!req.UserPoolId || !req.Username) {
      throw new InvalidParameterError("Missing required parameter UserPoolId or Username");
    }
    const userPool = await services.cognito.getUserPool(ctx, req.UserPoolId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
    await tokens.revokeAllOf(req.UserPoolId, user.Username);
    return {};
  };

  const guarded: Record<string, Route> = {};
  for (const target of ACCESS_TOKEN_TARGETS) {
    const next = inner[target] ?? delegate(target);
    guarded[target] = async (ctx, req: { AccessToken?: unknown }) => {
      if (req?.AccessToken !== undefined) await tokens.verifyAccessToken(ctx, req.AccessToken);
      return next(ctx, req);
    };
  }

  return { RevokeToken, GlobalSignOut, AdminUserGlobalSignOut, ...guarded };
}
