import { NotAuthorizedError } from "cognito-local/lib/errors.js";
import type { User } from "cognito-local/lib/services/userPoolService.js";

/**
 * Cognito's documented lockout after failed password sign-ins: after the 5th
 * failure the user is locked out for 1 s, and each further failure doubles
 * it (2^(n-5) s for n failures) up to about 15 minutes. Attempts during a
 * lockout get "Password attempts exceeded" and don't lengthen it. A
 * successful sign-in, or 15 minutes without attempts after a lockout, starts
 * over.
 */
const FREE_FAILURES = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;

interface SignInFailures {
  count: number;
  /** Milliseconds since the epoch, by the local clock. */
  lockedUntil: number;
  lastAttemptAt: number;
}

export type UserWithFailures = User & { SignInFailures?: SignInFailures };

function current(user: UserWithFailures, now: number): SignInFailures | undefined {
  const failures = user.SignInFailures;
  if (!failures) return undefined;
  const quiet = now - failures.lastAttemptAt >= QUIET_RESET_MS;
  return failures.count >= FREE_FAILURES && quiet ? undefined : failures;
}

/**
 * Checks a password proof under the lockout rules. Returns the user to save
 * (or undefined when nothing changed) and the error to throw, if any.
 */
export function passwordAttempt(
  user: UserWithFailures,
  passwordIsRight: () => boolean,
  now: number,
): { user: UserWithFailures | undefined; error: Error | undefined } {
  const failures = current(user, now);
  if (failures && now < failures.lockedUntil) {
    return {
      user: { ...user, SignInFailures: { ...failures, lastAttemptAt: now } },
      error: new NotAuthorizedError("Password attempts exceeded"),
    };
  }
  if (passwordIsRight()) {
    if (!user.SignInFailures) return { user: undefined, error: undefined };
    const { SignInFailures: _cleared, ...rest } = user;
    return { user: rest, error: undefined };
  }
  const count = (failures?.count ?? 0) + 1;
  const lockMs =
    count >= FREE_FAILURES ? Math.min(2 ** (count - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS) : 0;
  return {
    user: { ...user, SignInFailures: { count, lockedUntil: now + lockMs, lastAttemptAt: now } },
    error: new NotAuthorizedError("Incorrect username or password."),
  };
}
