import { UserPoolSettings } from "@userprofile/core/user-pool";
import type { AppClient } from "cognito-local/lib/services/appClient.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { Services } from "cognito-local/lib/services/index.js";
import { Targets } from "cognito-local/lib/targets/targets.js";

export const POOL_NAME = "userprofile-local";
export const CLIENT_NAME = "web";

const { passwordPolicy } = UserPoolSettings;

/** The pool's settings as CreateUserPool takes them, from the one definition infra deploys. */
const poolSettings = {
  UsernameAttributes: [...UserPoolSettings.usernameAttributes],
  // What SST's CognitoUserPool deploys (asserted in infra/test).
  UsernameConfiguration: { CaseSensitive: false },
  AutoVerifiedAttributes: ["email"],
  AccountRecoverySetting: {
    RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }],
  },
  Policies: {
    PasswordPolicy: {
      MinimumLength: passwordPolicy.minimumLength,
      RequireLowercase: passwordPolicy.requireLowercase,
      RequireUppercase: passwordPolicy.requireUppercase,
      RequireNumbers: passwordPolicy.requireNumbers,
      RequireSymbols: passwordPolicy.requireSymbols,
      TemporaryPasswordValidityDays: passwordPolicy.temporaryPasswordValidityDays,
    },
  },
};

/** The web client as infra defines it. */
const clientSettings = {
  ExplicitAuthFlows: [...UserPoolSettings.webClientAuthFlows],
  PreventUserExistenceErrors: "ENABLED",
  EnableTokenRevocation: true,
  AccessTokenValidity: UserPoolSettings.tokenValidity.accessTokenMinutes,
  IdTokenValidity: UserPoolSettings.tokenValidity.idTokenMinutes,
  RefreshTokenValidity: UserPoolSettings.tokenValidity.refreshTokenDays,
  TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" },
};

/**
 * Creates the pool and its web client on first start; on later starts keeps
 * their ids and re-applies the settings, so a changed definition takes effect
 * without wiping users.
 */
export async function ensurePool(ctx: Context, services: Services) {
  const pools = await services.cognito.listUserPools(ctx);
  let userPoolId = pools.find((pool) => pool.Name === POOL_NAME)?.Id;
  if (!userPoolId) {
    const created = await Targets.CreateUserPool(services)(ctx, {
      PoolName: POOL_NAME,
      ...poolSettings,
    });
    userPoolId = created.UserPool?.Id;
    if (!userPoolId) throw new Error("cognito-local created a user pool without an id");
  }
  const userPool = await services.cognito.getUserPool(ctx, userPoolId);
  await userPool.updateOptions(ctx, { ...userPool.options, ...poolSettings });

  const clients = await services.cognito.listAppClients(ctx, userPoolId);
  let client: AppClient | undefined = clients.find((c) => c.ClientName === CLIENT_NAME);
  if (!client) {
    const created = await Targets.CreateUserPoolClient(services)(ctx, {
      UserPoolId: userPoolId,
      ClientName: CLIENT_NAME,
      GenerateSecret: false,
      ...clientSettings,
    });
    const clientId = created.UserPoolClient?.ClientId;
    client = clientId
      ? ((await services.cognito.getAppClient(ctx, clientId)) ?? undefined)
      : undefined;
    if (!client) throw new Error("cognito-local created an app client without an id");
  } else {
    client = { ...client, ...clientSettings };
    await userPool.saveAppClient(ctx, client);
  }
  return { userPoolId, clientId: client.ClientId };
}
