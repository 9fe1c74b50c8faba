/** Cognito user pools, their clients and triggers, as the pool and client resources set them. */
import type {
  CognitoTrigger,
  FunctionSpec,
  SchemaAttribute,
  UserPoolClientSpec,
  UserPoolSpec,
} from "../spec";
import {
  numberOr,
  optionalNumber,
  optionalText,
  type Recorded,
  type RecordedResource,
  type Refusal,
  record,
  records,
  strings,
  text,
} from "./recorded";

/** `lambdaConfig` keys of the Pulumi user pool, with the trigger each one is. */
const TRIGGER_KEYS: Record<string, CognitoTrigger> = {
  preSignUp: "PreSignUp",
  postConfirmation: "PostConfirmation",
  preAuthentication: "PreAuthentication",
  postAuthentication: "PostAuthentication",
  preTokenGeneration: "PreTokenGeneration",
  preTokenGenerationConfig: "PreTokenGeneration",
  customMessage: "CustomMessage",
  defineAuthChallenge: "DefineAuthChallenge",
  createAuthChallenge: "CreateAuthChallenge",
  verifyAuthChallengeResponse: "VerifyAuthChallengeResponse",
  userMigration: "UserMigration",
  customEmailSender: "CustomEmailSender",
  customSmsSender: "CustomSMSSender",
};

function triggersOf(
  pool: RecordedResource,
  recorded: Recorded,
  functions: FunctionSpec[],
  supported: ReadonlySet<CognitoTrigger>,
  refusals: Refusal[],
) {
  const config = record(pool.inputs.lambdaConfig);
  const triggers: UserPoolSpec["triggers"] = {};
  let preTokenGenerationVersion: UserPoolSpec["preTokenGenerationVersion"];
  for (const [key, value] of Object.entries(config)) {
    const trigger = TRIGGER_KEYS[key];
    if (!trigger) continue;
    const nested = record(value);
    const arn = typeof value === "string" ? value : optionalText(nested.lambdaArn);
    if (!arn) continue;
    if (key === "preTokenGenerationConfig") {
      preTokenGenerationVersion = nested.lambdaVersion as UserPoolSpec["preTokenGenerationVersion"];
    }
    const fn = functions.find((f) => f.arn === arn || f.name === arn);
    if (!supported.has(trigger)) {
      refusals.push({
        type: pool.type,
        name: pool.name,
        origin: recorded.origin(pool),
        reason: `its ${trigger} trigger is not emulated by the local user pool (it runs ${[...supported].join(", ")}); keep that trigger out of the local stage`,
      });
    } else if (!fn) {
      refusals.push({
        type: pool.type,
        name: pool.name,
        origin: recorded.origin(pool),
        reason: `its ${trigger} trigger ${arn} is not a function of this app, so it can't run locally`,
      });
    } else {
      triggers[trigger] = fn.name;
    }
  }
  return { triggers, ...(preTokenGenerationVersion ? { preTokenGenerationVersion } : {}) };
}

/** Cognito's standard attributes; any other schema entry is a custom attribute. */
const STANDARD_ATTRIBUTES = new Set([
  "address",
  "birthdate",
  "email",
  "email_verified",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "phone_number_verified",
  "picture",
  "preferred_username",
  "profile",
  "sub",
  "updated_at",
  "website",
  "zoneinfo",
]);

function schemaOf(pool: RecordedResource): SchemaAttribute[] {
  return records(pool.inputs.schemas).map((attribute) => {
    const strings = record(attribute.stringAttributeConstraints);
    const numbers = record(attribute.numberAttributeConstraints);
    const given = String(attribute.name).replace(/^(dev:)?custom:/, "");
    const developerOnly = attribute.developerOnlyAttribute === true;
    // Users and tokens name custom attributes `custom:<name>` (`dev:custom:` if developer-only).
    const name = STANDARD_ATTRIBUTES.has(given)
      ? given
      : `${developerOnly ? "dev:" : ""}custom:${given}`;
    return {
      name,
      dataType: String(attribute.attributeDataType ?? "String") as SchemaAttribute["dataType"],
      mutable: attribute.mutable !== false,
      required: attribute.required === true,
      developerOnly,
      ...(Object.keys(strings).length
        ? {
            stringConstraints: {
              ...(optionalNumber(strings.minLength) !== undefined
                ? { minLength: optionalNumber(strings.minLength) }
                : {}),
              ...(optionalNumber(strings.maxLength) !== undefined
                ? { maxLength: optionalNumber(strings.maxLength) }
                : {}),
            },
          }
        : {}),
      ...(Object.keys(numbers).length
        ? {
            numberConstraints: {
              ...(optionalNumber(numbers.minValue) !== undefined
                ? { minValue: optionalNumber(numbers.minValue) }
                : {}),
              ...(optionalNumber(numbers.maxValue) !== undefined
                ? { maxValue: optionalNumber(numbers.maxValue) }
                : {}),
            },
          }
        : {}),
    };
  });
}

function clientOf(recorded: Recorded, client: RecordedResource): UserPoolClientSpec {
  const inputs = client.inputs;
  const units = record(inputs.tokenValidityUnits);
  const secret = optionalText(client.state.clientSecret);
  return {
    id: text(client, "id"),
    name: String(inputs.name ?? client.name),
    origin: recorded.origin(client),
    explicitAuthFlows: strings(inputs.explicitAuthFlows),
    ...(inputs.generateSecret === true && secret ? { secret } : {}),
    preventUserExistenceErrors:
      inputs.preventUserExistenceErrors === "LEGACY" ? "LEGACY" : "ENABLED",
    enableTokenRevocation: inputs.enableTokenRevocation !== false,
    ...(optionalNumber(inputs.accessTokenValidity) !== undefined
      ? { accessTokenValidity: optionalNumber(inputs.accessTokenValidity) }
      : {}),
    ...(optionalNumber(inputs.idTokenValidity) !== undefined
      ? { idTokenValidity: optionalNumber(inputs.idTokenValidity) }
      : {}),
    ...(optionalNumber(inputs.refreshTokenValidity) !== undefined
      ? { refreshTokenValidity: optionalNumber(inputs.refreshTokenValidity) }
      : {}),
    tokenValidityUnits: {
      ...(optionalText(units.accessToken) ? { accessToken: String(units.accessToken) } : {}),
      ...(optionalText(units.idToken) ? { idToken: String(units.idToken) } : {}),
      ...(optionalText(units.refreshToken) ? { refreshToken: String(units.refreshToken) } : {}),
    },
    ...(optionalNumber(inputs.authSessionValidity) !== undefined
      ? { authSessionValidityMinutes: optionalNumber(inputs.authSessionValidity) }
      : {}),
    ...(inputs.readAttributes !== undefined
      ? { readAttributes: strings(inputs.readAttributes) }
      : {}),
    ...(inputs.writeAttributes !== undefined
      ? { writeAttributes: strings(inputs.writeAttributes) }
      : {}),
  };
}

export function planUserPools(
  recorded: Recorded,
  functions: FunctionSpec[],
  supportedTriggers: ReadonlySet<CognitoTrigger>,
  refusals: Refusal[],
): UserPoolSpec[] {
  return recorded.ofType("aws:cognito/userPool:UserPool").map((pool) => {
    const inputs = pool.inputs;
    const policy = record(record(inputs.passwordPolicy));
    const id = text(pool, "id");
    const email = record(inputs.emailConfiguration);
    const webAuthn = record(inputs.webAuthnConfiguration);
    const signInPolicy = record(inputs.signInPolicy);
    return {
      id,
      arn: text(pool, "arn"),
      name: text(pool, "name"),
      origin: recorded.origin(pool),
      usernameAttributes: strings(inputs.usernameAttributes) as UserPoolSpec["usernameAttributes"],
      aliasAttributes: strings(inputs.aliasAttributes) as UserPoolSpec["aliasAttributes"],
      usernameCaseSensitive: record(inputs.usernameConfiguration).caseSensitive === true,
      autoVerifiedAttributes: strings(
        inputs.autoVerifiedAttributes,
      ) as UserPoolSpec["autoVerifiedAttributes"],
      // Cognito's defaults for any setting the pool leaves out.
      passwordPolicy: {
        minimumLength: numberOr(policy.minimumLength, 8),
        requireLowercase: policy.requireLowercase !== false,
        requireUppercase: policy.requireUppercase !== false,
        requireNumbers: policy.requireNumbers !== false,
        requireSymbols: policy.requireSymbols !== false,
        temporaryPasswordValidityDays: numberOr(policy.temporaryPasswordValidityDays, 7),
        ...(optionalNumber(policy.passwordHistorySize) !== undefined
          ? { passwordHistorySize: optionalNumber(policy.passwordHistorySize) }
          : {}),
      },
      schema: schemaOf(pool),
      ...triggersOf(pool, recorded, functions, supportedTriggers, refusals),
      mfaConfiguration: (optionalText(inputs.mfaConfiguration) ??
        "OFF") as UserPoolSpec["mfaConfiguration"],
      softwareTokenMfaEnabled: record(inputs.softwareTokenMfaConfiguration).enabled === true,
      deletionProtection: inputs.deletionProtection === "ACTIVE" ? "ACTIVE" : "INACTIVE",
      userPoolTier: (optionalText(inputs.userPoolTier) ??
        "ESSENTIALS") as UserPoolSpec["userPoolTier"],
      ...(strings(signInPolicy.allowedFirstAuthFactors).length
        ? { allowedFirstAuthFactors: strings(signInPolicy.allowedFirstAuthFactors) }
        : {}),
      ...(Object.keys(webAuthn).length
        ? {
            webAuthn: {
              ...(optionalText(webAuthn.relyingPartyId)
                ? { relyingPartyId: String(webAuthn.relyingPartyId) }
                : {}),
              userVerification: webAuthn.userVerification === "required" ? "required" : "preferred",
            },
          }
        : {}),
      accountRecovery: records(record(inputs.accountRecoverySetting).recoveryMechanisms).map(
        (m) => ({ name: String(m.name), priority: numberOr(m.priority, 1) }),
      ),
      email: {
        sendingAccount: email.emailSendingAccount === "DEVELOPER" ? "DEVELOPER" : "COGNITO_DEFAULT",
        ...(optionalText(email.fromEmailAddress) ? { from: String(email.fromEmailAddress) } : {}),
        ...(optionalText(email.sourceArn) ? { sourceArn: String(email.sourceArn) } : {}),
      },
      attributesRequireVerificationBeforeUpdate: strings(
        record(inputs.userAttributeUpdateSettings).attributesRequireVerificationBeforeUpdates,
      ),
      allowAdminCreateUserOnly:
        record(inputs.adminCreateUserConfig).allowAdminCreateUserOnly === true,
      clients: recorded
        .ofType("aws:cognito/userPoolClient:UserPoolClient")
        .filter((client) => client.inputs.userPoolId === id)
        .map((client) => clientOf(recorded, client)),
    };
  });
}
