import { randomBytes } from "node:crypto";
import type { UserPoolClientSpec } from "../../spec";
import { schemaOf } from "../attributes";
import type { Services } from "../context";
import { validationError } from "../errors";
import { optionalString, type Request, requiredString } from "../input";
import type { Pool } from "../pool";
import { apiDate } from "../user";

const functionArn = (services: Services, name: string) =>
  `arn:aws:lambda:${services.region}:${services.accountId}:function:${name}`;

/** LambdaConfig as DescribeUserPool returns it: each trigger's function ARN. */
function lambdaConfig(services: Services, pool: Pool) {
  const config: Record<string, unknown> = {};
  for (const [trigger, name] of Object.entries(pool.spec.triggers)) {
    if (name) config[trigger] = functionArn(services, name);
  }
  const tokenFunction = pool.spec.triggers.PreTokenGeneration;
  if (tokenFunction) {
    config.PreTokenGenerationConfig = {
      LambdaVersion: pool.spec.preTokenGenerationVersion ?? "V1_0",
      LambdaArn: functionArn(services, tokenFunction),
    };
  }
  return config;
}

function schemaAttributes(pool: Pool) {
  return [...schemaOf(pool.spec).values()].map((a) => ({
    Name: a.name,
    AttributeDataType: a.dataType,
    DeveloperOnlyAttribute: a.developerOnly,
    Mutable: a.mutable,
    Required: a.required,
    ...(a.dataType === "String"
      ? {
          StringAttributeConstraints: {
            MinLength: String(a.stringConstraints?.minLength ?? 0),
            MaxLength: String(a.stringConstraints?.maxLength ?? 2048),
          },
        }
      : {}),
    ...(a.dataType === "Number" && a.numberConstraints
      ? {
          NumberAttributeConstraints: {
            ...(a.numberConstraints.minValue === undefined
              ? {}
              : { MinValue: String(a.numberConstraints.minValue) }),
            ...(a.numberConstraints.maxValue === undefined
              ? {}
              : { MaxValue: String(a.numberConstraints.maxValue) }),
          },
        }
      : {}),
  }));
}

function describePool(services: Services, pool: Pool) {
  const { spec } = pool;
  const policy = spec.passwordPolicy;
  return {
    Id: spec.id,
    Name: spec.name,
    Arn: spec.arn,
    Policies: {
      PasswordPolicy: {
        MinimumLength: policy.minimumLength,
        RequireUppercase: policy.requireUppercase,
        RequireLowercase: policy.requireLowercase,
        RequireNumbers: policy.requireNumbers,
        RequireSymbols: policy.requireSymbols,
        TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
        ...(policy.passwordHistorySize === undefined
          ? {}
          : { PasswordHistorySize: policy.passwordHistorySize }),
      },
      ...(spec.allowedFirstAuthFactors
        ? { SignInPolicy: { AllowedFirstAuthFactors: spec.allowedFirstAuthFactors } }
        : {}),
    },
    DeletionProtection: spec.deletionProtection,
    LambdaConfig: lambdaConfig(services, pool),
    LastModifiedDate: apiDate(pool.meta.lastModifiedAt),
    CreationDate: apiDate(pool.meta.createdAt),
    SchemaAttributes: schemaAttributes(pool),
    AutoVerifiedAttributes: spec.autoVerifiedAttributes,
    ...(spec.aliasAttributes.length > 0 ? { AliasAttributes: spec.aliasAttributes } : {}),
    ...(spec.usernameAttributes.length > 0 ? { UsernameAttributes: spec.usernameAttributes } : {}),
    VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" },
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: spec.attributesRequireVerificationBeforeUpdate,
    },
    MfaConfiguration: spec.mfaConfiguration,
    EstimatedNumberOfUsers: pool.userCount,
    EmailConfiguration: {
      EmailSendingAccount: spec.email.sendingAccount,
      ...(spec.email.from ? { From: spec.email.from } : {}),
      ...(spec.email.sourceArn ? { SourceArn: spec.email.sourceArn } : {}),
    },
    UserPoolTags: {},
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: spec.allowAdminCreateUserOnly },
    UsernameConfiguration: { CaseSensitive: spec.usernameCaseSensitive },
    AccountRecoverySetting: {
      RecoveryMechanisms: spec.accountRecovery.map((m) => ({ Priority: m.priority, Name: m.name })),
    },
    UserPoolTier: spec.userPoolTier,
  };
}

function describeClient(pool: Pool, client: UserPoolClientSpec) {
  const units = client.tokenValidityUnits;
  return {
    UserPoolId: pool.id,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret ? { ClientSecret: client.secret } : {}),
    LastModifiedDate: apiDate(pool.meta.lastModifiedAt),
    CreationDate: apiDate(pool.meta.createdAt),
    RefreshTokenValidity: client.refreshTokenValidity ?? 30,
    AccessTokenValidity: client.accessTokenValidity ?? 60,
    IdTokenValidity: client.idTokenValidity ?? 60,
    TokenValidityUnits: {
      AccessToken: units.accessToken ?? "minutes",
      IdToken: units.idToken ?? "minutes",
      RefreshToken: units.refreshToken ?? "days",
    },
    ...(client.readAttributes ? { ReadAttributes: client.readAttributes } : {}),
    ...(client.writeAttributes ? { WriteAttributes: client.writeAttributes } : {}),
    ExplicitAuthFlows: client.explicitAuthFlows,
    AllowedOAuthFlowsUserPoolClient: false,
    PreventUserExistenceErrors: client.preventUserExistenceErrors,
    EnableTokenRevocation: client.enableTokenRevocation,
    EnablePropagateAdditionalUserContextData: false,
    AuthSessionValidity: client.authSessionValidityMinutes ?? 3,
  };
}

function maxResults(req: Request, field: "MaxResults", required: boolean) {
  const value = req[field];
  if (value === undefined && !required) return 60;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 60) {
    throw validationError(
      "maxResults",
      value === undefined ? "Member must not be null" : "Member must have value between 1 and 60",
      value === undefined ? undefined : String(value),
    );
  }
  return value;
}

/** A page of `items` after the item whose key is NextToken. */
function page<T>(items: T[], keyOf: (item: T) => string, limit: number, token: string | undefined) {
  const start = token === undefined ? 0 : items.findIndex((item) => keyOf(item) === token) + 1;
  const slice = items.slice(start, start + limit);
  const last = slice.at(-1);
  return { slice, next: last && start + limit < items.length ? keyOf(last) : undefined };
}

/** A new app client's id: 26 lower-case letters and digits, as Cognito's. */
const newClientId = () => {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(26)].map((b) => alphabet.charAt(b % alphabet.length)).join("");
};

export const describeOperations = {
  async DescribeUserPool(services: Services, req: Request) {
    return { UserPool: describePool(services, services.pools.pool(req.UserPoolId)) };
  },

  async DescribeUserPoolClient(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const { client } = services.pools.client(requiredString(req, "ClientId", "clientId"), pool.id);
    return { UserPoolClient: describeClient(pool, client) };
  },

  async ListUserPools(services: Services, req: Request) {
    const limit = maxResults(req, "MaxResults", true);
    const pools = services.pools.all().sort((a, b) => (a.id < b.id ? -1 : 1));
    const { slice, next } = page(pools, (p) => p.id, limit, optionalString(req, "NextToken"));
    return {
      UserPools: slice.map((pool) => ({
        Id: pool.id,
        Name: pool.spec.name,
        LambdaConfig: lambdaConfig(services, pool),
        LastModifiedDate: apiDate(pool.meta.lastModifiedAt),
        CreationDate: apiDate(pool.meta.createdAt),
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },

  async ListUserPoolClients(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const limit = maxResults(req, "MaxResults", false);
    const { slice, next } = page(
      pool.clients(),
      (c) => c.id,
      limit,
      optionalString(req, "NextToken"),
    );
    return {
      UserPoolClients: slice.map((c) => ({
        ClientId: c.id,
        UserPoolId: pool.id,
        ClientName: c.name,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  },

  async CreateUserPoolClient(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const name = requiredString(req, "ClientName", "clientName");
    const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
    const units = (req.TokenValidityUnits ?? {}) as Record<string, string>;
    const client: UserPoolClientSpec = {
      id: newClientId(),
      name,
      origin: { component: "CreateUserPoolClient", name },
      explicitAuthFlows: strings(req.ExplicitAuthFlows) ?? [],
      ...(req.GenerateSecret === true
        ? { secret: randomBytes(39).toString("base64url").slice(0, 51) }
        : {}),
      preventUserExistenceErrors:
        req.PreventUserExistenceErrors === "ENABLED" ? "ENABLED" : "LEGACY",
      enableTokenRevocation: req.EnableTokenRevocation !== false,
      ...(typeof req.AccessTokenValidity === "number"
        ? { accessTokenValidity: req.AccessTokenValidity }
        : {}),
      ...(typeof req.IdTokenValidity === "number" ? { idTokenValidity: req.IdTokenValidity } : {}),
      ...(typeof req.RefreshTokenValidity === "number"
        ? { refreshTokenValidity: req.RefreshTokenValidity }
        : {}),
      tokenValidityUnits: {
        ...(units.AccessToken ? { accessToken: units.AccessToken } : {}),
        ...(units.IdToken ? { idToken: units.IdToken } : {}),
        ...(units.RefreshToken ? { refreshToken: units.RefreshToken } : {}),
      },
      ...(typeof req.AuthSessionValidity === "number"
        ? { authSessionValidityMinutes: req.AuthSessionValidity }
        : {}),
      ...(strings(req.ReadAttributes) ? { readAttributes: strings(req.ReadAttributes) } : {}),
      ...(strings(req.WriteAttributes) ? { writeAttributes: strings(req.WriteAttributes) } : {}),
    };
    await pool.addClient(client);
    return { UserPoolClient: describeClient(pool, client) };
  },
};
