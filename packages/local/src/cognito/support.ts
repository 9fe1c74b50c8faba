import type { CognitoTrigger, UserPoolSpec } from "../spec";

/** The triggers this emulator runs; the planner refuses a pool that declares any other. */
export const SUPPORTED_TRIGGERS = ["PreSignUp", "PostConfirmation", "PreTokenGeneration"] as const;
export type SupportedTrigger = (typeof SUPPORTED_TRIGGERS)[number];

/** The first sign-in factors USER_AUTH offers locally (SMS_OTP needs SNS, which isn't emulated). */
const SUPPORTED_FIRST_FACTORS = new Set(["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]);

/** Declared triggers this emulator does not run. */
export function unsupportedTriggers(triggers: Partial<Record<CognitoTrigger, string>>) {
  return (Object.keys(triggers) as CognitoTrigger[]).filter(
    (trigger) => !(SUPPORTED_TRIGGERS as readonly string[]).includes(trigger),
  );
}

/**
 * What a pool's spec asks for that the local pool cannot do, one sentence
 * each, for the planner to refuse at start rather than serve a pool that
 * behaves otherwise than on AWS. Empty when everything is emulated.
 */
export function unsupportedFeatures(spec: UserPoolSpec): string[] {
  const reasons = unsupportedTriggers(spec.triggers).map(
    (trigger) => `the ${trigger} trigger is not emulated by the local user pool`,
  );
  if (spec.mfaConfiguration === "ON") {
    reasons.push("required MFA (MfaConfiguration ON) is not emulated by the local user pool");
  }
  for (const factor of spec.allowedFirstAuthFactors ?? []) {
    if (!SUPPORTED_FIRST_FACTORS.has(factor)) {
      reasons.push(`the ${factor} sign-in factor is not emulated by the local user pool`);
    }
  }
  return reasons.map((reason) => `${spec.name} (${spec.origin.name}): ${reason}`);
}
