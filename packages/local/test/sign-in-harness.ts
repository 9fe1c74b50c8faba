import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { UserPoolSpec } from "../src/spec";
import { type Harness, PASSWORD, startHarness } from "./cognito-harness";

/** A pool as infra/auth.ts declares it for the local stage: choice-based sign-in, TOTP MFA. */
export function signInMethods(spec: UserPoolSpec): UserPoolSpec {
  return {
    ...spec,
    userPoolTier: "ESSENTIALS",
    allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"],
    webAuthn: { relyingPartyId: "localhost", userVerification: "required" },
    mfaConfiguration: "OPTIONAL",
    softwareTokenMfaEnabled: true,
    attributesRequireVerificationBeforeUpdate: ["email"],
    clients: spec.clients.map((client) => ({
      ...client,
      explicitAuthFlows: [...client.explicitAuthFlows, "ALLOW_USER_AUTH"],
    })),
  };
}

export const startSignInHarness = (change: (spec: UserPoolSpec) => UserPoolSpec = (s) => s) =>
  startHarness({ spec: (spec) => change(signInMethods(spec)) });

export const userAuth = (h: Harness, username: string, extra: Record<string, string> = {}) =>
  h.client.send(
    new InitiateAuthCommand({
      ClientId: h.pool.userPoolClientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: username, ...extra },
    }),
  );

export const respond = (
  h: Harness,
  ChallengeName: string,
  Session: string | undefined,
  responses: Record<string, string>,
) =>
  h.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: h.pool.userPoolClientId,
      ChallengeName: ChallengeName as never,
      Session,
      ChallengeResponses: responses,
    }),
  );

/** USER_AUTH with PREFERRED_CHALLENGE PASSWORD: tokens in one call (no MFA). */
export async function passwordTokens(h: Harness, email: string, password = PASSWORD) {
  const result = await userAuth(h, email, { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: password });
  const access = result.AuthenticationResult?.AccessToken;
  if (!access) throw new Error(`Password sign-in stopped at ${result.ChallengeName}`);
  return result.AuthenticationResult as { AccessToken: string; IdToken: string };
}
