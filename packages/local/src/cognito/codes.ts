import { randomInt, timingSafeEqual } from "node:crypto";
import { CognitoError } from "./errors";

/** What a code was sent for; a code only ever works for its own purpose. */
export type CodePurpose =
  | "signup"
  | "forgot-password"
  | "verify-email"
  | "verify-phone_number"
  | "sign-in";

/**
 * Cognito's code validity quotas: sign-up confirmation 24 h, forgot password
 * 1 h, attribute verification 24 h.
 */
export const CODE_LIFETIME_MS: Record<CodePurpose, number> = {
  signup: 24 * 3_600_000,
  "forgot-password": 3_600_000,
  "verify-email": 24 * 3_600_000,
  "verify-phone_number": 24 * 3_600_000,
  // An email sign-in code lives no longer than the sign-in session it belongs to (3 minutes by default).
  "sign-in": 3 * 60_000,
};

/**
 * Attempt limits, per user and purpose, over a rolling hour. AWS documents
 * "between 5 and 20" password-reset requests or code entries an hour and
 * keeps the other limits unpublished; the local pool applies the documented
 * minimum to both purposes: the 6th code requested, or the attempt after the
 * 5th wrong code, within an hour gets LimitExceededException.
 */
export const ATTEMPT_WINDOW_MS = 3_600_000;
export const MAX_CODES_PER_WINDOW = 5;
export const MAX_WRONG_CODES_PER_WINDOW = 5;

interface IssuedCode {
  code: string;
  /** Milliseconds since the epoch, by the local clock. */
  issuedAt: number;
}

interface Attempts {
  /** When codes were sent, in ms since the epoch. */
  sent: number[];
  /** When a wrong code was entered. */
  failed: number[];
}

/** Kept on the stored user. */
export interface UserCodes {
  codes?: Partial<Record<CodePurpose, IssuedCode>>;
  codeAttempts?: Partial<Record<CodePurpose, Attempts>>;
}

export const newCode = () => randomInt(0, 1_000_000).toString().padStart(6, "0");

export const codeMismatch = () =>
  new CognitoError(
    "CodeMismatchException",
    "Invalid verification code provided, please try again.",
  );
export const expiredCode = () =>
  new CognitoError("ExpiredCodeException", "Invalid code provided, please request a code again.");
export const attemptLimitExceeded = () =>
  new CognitoError("LimitExceededException", "Attempt limit exceeded, please try after some time.");

function recent(times: number[] | undefined, now: number) {
  return (times ?? []).filter((time) => time > now - ATTEMPT_WINDOW_MS && time <= now);
}

function attemptsOf(user: UserCodes, purpose: CodePurpose, now: number): Attempts {
  const attempts = user.codeAttempts?.[purpose];
  return { sent: recent(attempts?.sent, now), failed: recent(attempts?.failed, now) };
}

function withCodes<U extends UserCodes>(
  user: U,
  purpose: CodePurpose,
  code: IssuedCode | undefined,
  attempts: Attempts,
): U {
  const codes = { ...(user.codes ?? {}) };
  if (code) codes[purpose] = code;
  else delete codes[purpose];
  return { ...user, codes, codeAttempts: { ...user.codeAttempts, [purpose]: attempts } };
}

/** Throws LimitExceededException if the user may not be sent another code of this purpose yet. */
export function assertMaySendCode(user: UserCodes, purpose: CodePurpose, now: number) {
  if (attemptsOf(user, purpose, now).sent.length >= MAX_CODES_PER_WINDOW) {
    throw attemptLimitExceeded();
  }
}

/** The user with a fresh code of this purpose; the previous one stops working. */
export function withNewCode<U extends UserCodes>(
  user: U,
  purpose: CodePurpose,
  code: string,
  now: number,
): U {
  const attempts = attemptsOf(user, purpose, now);
  return withCodes(
    user,
    purpose,
    { code, issuedAt: now },
    { ...attempts, sent: [...attempts.sent, now] },
  );
}

export type CodeCheck<U> =
  | { ok: true; user: U }
  | { ok: false; user: U | undefined; error: CognitoError };

/**
 * Checks a code entered for a purpose. On success the code is used up and
 * the wrong-code count cleared; a wrong code is counted (the caller saves
 * `user` when it is returned).
 */
export function checkCode<U extends UserCodes>(
  user: U,
  purpose: CodePurpose,
  given: unknown,
  now: number,
): CodeCheck<U> {
  const attempts = attemptsOf(user, purpose, now);
  if (attempts.failed.length >= MAX_WRONG_CODES_PER_WINDOW) {
    return { ok: false, user: undefined, error: attemptLimitExceeded() };
  }
  const issued = user.codes?.[purpose];
  if (!issued) return { ok: false, user: undefined, error: expiredCode() };
  if (now - issued.issuedAt > CODE_LIFETIME_MS[purpose]) {
    return { ok: false, user: undefined, error: expiredCode() };
  }
  const expected = Buffer.from(issued.code);
  const actual = Buffer.from(typeof given === "string" ? given : "");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    const failed = withCodes(user, purpose, issued, {
      ...attempts,
      failed: [...attempts.failed, now],
    });
    return { ok: false, user: failed, error: codeMismatch() };
  }
  return {
    ok: true,
    user: withCodes(user, purpose, undefined, { sent: attempts.sent, failed: [] }),
  };
}

/**
 * How Cognito shows where a code went without disclosing the address:
 * the first character of the local part and of the domain,
 * e.g. alice@example.com → a***@e***.
 */
export function maskDestination(address: string): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return `${address.slice(0, 1)}***`;
  return `${address.slice(0, 1)}***@${address.slice(at + 1, at + 2)}***`;
}

/** A phone number as Cognito masks it: the last four digits, e.g. +*******0100. */
export function maskPhone(phone: string): string {
  return `+${"*".repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;
}

/** CodeDeliveryDetails for an attribute, as the API returns them (masked). */
export function delivery(attribute: "email" | "phone_number", value: string) {
  return attribute === "email"
    ? emailDelivery(value)
    : ({
        AttributeName: "phone_number",
        DeliveryMedium: "SMS",
        Destination: maskPhone(value),
      } as const);
}

/** CodeDeliveryDetails for an email, as the API returns them (masked). */
export function emailDelivery(address: string) {
  return {
    AttributeName: "email",
    DeliveryMedium: "EMAIL",
    Destination: maskDestination(address),
  } as const;
}
