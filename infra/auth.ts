import { ProfileFields } from "@userprofile/core/profile-fields";
import { UserPoolSettings } from "@userprofile/core/user-pool";
import { permissionsFor, postConfirmationFunction } from "@userprofile/functions/definitions";
import { router } from "./router";
import { isLocalStage, isPermanentStage, settings } from "./stage";
import { usersTable, usersTableLink } from "./storage";

/** Defined on its own (not inline in `triggers`) so monitoring can reach its log group and name. */
export const postConfirmationTrigger = new sst.aws.Function("PostConfirmation", {
  description: "Cognito Post Confirmation: writes the confirmed user's profile",
  handler: postConfirmationFunction.handler,
  timeout: `${postConfirmationFunction.timeoutSeconds} seconds`,
  memory: `${postConfirmationFunction.memoryMB} MB`,
  link: [usersTableLink],
  // No pool ARN: the trigger has no user-pool grants, and naming the pool would make it depend on its own trigger.
  permissions: permissionsFor(postConfirmationFunction.grants, { table: usersTable.arn }),
});

/**
 * The first factors of choice-based sign-in (USER_AUTH) this stage offers, for the web app's
 * configuration: PASSWORD alone means password sign-in (SRP) only, on the Lite plan.
 */
export const enabledFirstAuthFactors = [...settings.firstAuthFactors];
export const choiceBasedSignIn = enabledFirstAuthFactors.some((factor) => factor !== "PASSWORD");
/** Users may turn on TOTP MFA (an authenticator app); it stays optional. */
export const totpMfaEnabled = true;

/**
 * Passkeys are bound to the site's hostname: the custom domain, else CloudFront's; `localhost`
 * offline and under `sst dev` (the Vite dev server), where no distribution exists.
 */
const relyingPartyId =
  isLocalStage || !router
    ? "localhost"
    : (settings.domains?.site ?? router.nodes.cdn.nodes.distribution.domainName);

export const userPool = new sst.aws.CognitoUserPool("Auth", {
  usernames: [...UserPoolSettings.usernameAttributes],
  triggers: { postConfirmation: postConfirmationTrigger.arn },
  advancedSecurity: settings.threatProtection === "off" ? undefined : settings.threatProtection,
  transform: {
    userPool: (args, opts) => {
      args.passwordPolicy = { ...UserPoolSettings.passwordPolicy };
      // The custom attributes profile fields come from; a pool can gain one, never lose or change one.
      const customAttributes = ProfileFields.customAttributeSchema();
      if (customAttributes.length) args.schemas = customAttributes;
      args.accountRecoverySetting = {
        recoveryMechanisms: [{ name: "verified_email", priority: 1 }],
      };
      args.deletionProtection = isPermanentStage ? "ACTIVE" : "INACTIVE";
      // Set explicitly: AWS gives new pools ESSENTIALS, which this app does not use.
      args.userPoolTier = settings.cognitoPlan;
      args.mfaConfiguration = totpMfaEnabled ? "OPTIONAL" : "OFF";
      if (totpMfaEnabled) args.softwareTokenMfaConfiguration = { enabled: true };
      // A new email takes effect once its code is entered; until then the old one still signs in.
      args.userAttributeUpdateSettings = { attributesRequireVerificationBeforeUpdates: ["email"] };
      if (choiceBasedSignIn) {
        args.signInPolicy = { allowedFirstAuthFactors: enabledFirstAuthFactors };
      }
      if (enabledFirstAuthFactors.includes("WEB_AUTHN")) {
        args.webAuthnConfiguration = { relyingPartyId, userVerification: "required" };
      }
      if (settings.email) {
        args.emailConfiguration = {
          emailSendingAccount: "DEVELOPER",
          sourceArn: settings.email.sourceArn,
          fromEmailAddress: settings.email.from,
        };
      }
      if (isPermanentStage) {
        // Users live only here: keep the pool if the stage is removed, and fail any change
        // that would replace it instead of silently starting over with an empty pool.
        opts.retainOnDelete = true;
        opts.protect = true;
      }
    },
  },
});

export const webClient = userPool.addClient("WebClient", {
  transform: {
    client: (args) => {
      args.generateSecret = false;
      args.explicitAuthFlows = [
        ...UserPoolSettings.webClientAuthFlows,
        ...(choiceBasedSignIn ? ["ALLOW_USER_AUTH"] : []),
      ];
      args.preventUserExistenceErrors = "ENABLED";
      args.enableTokenRevocation = true;
      // Account deletion keeps its marker longer than these (Account.DELETION_MARKER_SECONDS).
      const { tokenValidity } = UserPoolSettings;
      args.accessTokenValidity = tokenValidity.accessTokenMinutes;
      args.idTokenValidity = tokenValidity.idTokenMinutes;
      args.refreshTokenValidity = tokenValidity.refreshTokenDays;
      args.tokenValidityUnits = {
        accessToken: "minutes",
        idToken: "minutes",
        refreshToken: "days",
      };
    },
  },
});

/** What API functions need to find the pool; linking `userPool` would grant `cognito-idp:*`. */
export const userPoolLink = new sst.Linkable("UserPool", {
  properties: { id: userPool.id },
});
