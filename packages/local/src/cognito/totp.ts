import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { StoredSoftwareToken } from "./user";

/** RFC 6238 as authenticator apps and Cognito use it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
/**
 * Steps either side of now whose code is still accepted: one, so a code typed as it rolls
 * over (or on a phone whose clock is a few seconds off) still works.
 */
const WINDOW_STEPS = 1;

const totpFor = (secret: string) =>
  new TOTP({
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_SECONDS,
  });

/** A new shared secret, base32 as AssociateSoftwareToken's `SecretCode` is. */
export const newTotpSecret = () => new Secret({ buffer: randomBytes(20).buffer }).base32;

/**
 * The 30-second step of `code` for this secret at `nowMs`, or undefined if it is not a code
 * of the accepted window, or if that step (or a later one) was already used: a code works once.
 */
export function acceptedStep(
  secret: string,
  code: unknown,
  nowMs: number,
  lastUsedStep: number | undefined,
): number | undefined {
  if (typeof code !== "string" || !/^[0-9]{6}$/.test(code)) return undefined;
  const delta = totpFor(secret).validate({ token: code, timestamp: nowMs, window: WINDOW_STEPS });
  if (delta === null) return undefined;
  const step = Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
  if (lastUsedStep !== undefined && step <= lastUsedStep) return undefined;
  return step;
}

/** A user's TOTP MFA is on: verified and enabled. */
export const totpMfaOn = (token: StoredSoftwareToken | undefined) =>
  token?.verified === true && token.enabled;
