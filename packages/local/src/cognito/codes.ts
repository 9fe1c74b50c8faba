import { randomInt, timingSafeEqual } from "node:crypto";
import { CognitoError } from "cognito-local/lib/errors.js";
import type { User } from "cognito-local/lib/services/userPoolService.js";

/** What a code was sent for; a code only ever works for its own purpose. */
export type CodePurpose = "signup" | "forgot-password";

/** Cognito's code validity quotas: sign-up confirmation 24 h, forgot password 1 h. */
export const CODE_LIFETIME_MS: Record<CodePurpose, number> = {
  signup: 24 * 3_600_000,
  "forgot-password": 3_600_000,
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

/** Kept on the stored user, beside cognito-local's fields. */
export interface UserCodes {
  OneTimeCodes?: Partial<Record<CodePurpose, IssuedCode>>;
  CodeAttempts?: Partial<Record<CodePurpose, Attempts>>;
}

export type UserWithCodes = User & UserCodes;

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

/**
 * Data written before codes had purposes keeps one `ConfirmationCode`: for an
 * unconfirmed user it can only be a sign-up code (a reset needs a verified
 * address), otherwise a reset code. Its time is the user's last change.
 */
function issuedCodes(user: UserWithCodes): Partial<Record<CodePurpose, IssuedCode>> {
  if (user.OneTimeCodes) return user.OneTimeCodes;
  if (!user.ConfirmationCode) return {};
  const purpose: CodePurpose = user.UserStatus === "UNCONFIRMED" ? "signup" : "forgot-password";
  return {
    [purpose]: {
      code: user.ConfirmationCode,
      issuedAt: new Date(user.UserLastModifiedDate).getTime(),
    },
  };
}

function recent(times: number[] | undefined, now: number) {
  return (times ?? []).filter((time) => time > now - ATTEMPT_WINDOW_MS && time <= now);
}

function attemptsOf(user: UserWithCodes, purpose: CodePurpose, now: number): Attempts {
  const attempts = user.CodeAttempts?.[purpose];
  return { sent: recent(attempts?.sent, now), failed: recent(attempts?.failed, now) };
}

function withCodes(
  user: UserWithCodes,
  purpose: CodePurpose,
  code: IssuedCode | undefined,
  attempts: Attempts,
): UserWithCodes {
  const { ConfirmationCode: _legacy, ...rest } = user;
  const codes = { ...issuedCodes(user) };
  if (code) codes[purpose] = code;
  else delete codes[purpose];
  return {
    ...rest,
    OneTimeCodes: codes,
    CodeAttempts: { ...user.CodeAttempts, [purpose]: attempts },
  } as UserWithCodes;
}

/** Throws LimitExceededException if the user may not be sent another code of this purpose yet. */
export function assertMaySendCode(user: UserWithCodes, purpose: CodePurpose, now: number) {
  if (attemptsOf(user, purpose, now).sent.length >= MAX_CODES_PER_WINDOW) {
    throw attemptLimitExceeded();
  }
}

/** The user with a fresh code of this purpose; the previous one stops working. */
export function withNewCode(
  user: UserWithCodes,
  purpose: CodePurpose,
  code: string,
  now: number,
): UserWithCodes {
  const attempts = attemptsOf(user, purpose, now);
  return withCodes(
    user,
    purpose,
    { code, issuedAt: now },
    { ...attempts, sent: [...attempts.sent, now] },
  );
}

export type CodeCheck =
  | { ok: true; user: UserWithCodes }
  | { ok: false; user: UserWithCodes | undefined; error: CognitoError };

/**
 * Checks a code entered for a purpose. On success the code is used up and
 * the wrong-code count cleared; a wrong code is counted (the caller saves
 * `user` when it is returned).
 */
export function checkCode(
  user: UserWithCodes,
  purpose: CodePurpose,
  given: unknown,
  now: number,
): CodeCheck {
  const attempts = attemptsOf(user, purpose, now);
  if (attempts.failed.length >= MAX_WRONG_CODES_PER_WINDOW) {
    return { ok: false, user: undefined, error: attemptLimitExceeded() };
  }
  const issued = issuedCodes(user)[purpose];
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

/** CodeDeliveryDetails for an email, as the API returns them (masked). */
export function emailDelivery(address: string) {
  return {
    AttributeName: "email",
    DeliveryMedium: "EMAIL",
    Destination: maskDestination(address),
  } as const;
}
