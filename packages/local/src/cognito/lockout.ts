import { notAuthorized } from "./errors";
import type { SignInFailures, StoredUser } from "./user";

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

function current(user: StoredUser, now: number): SignInFailures | undefined {
  const failures = user.signInFailures;
  if (!failures) return undefined;
  const quiet = now - failures.lastAttemptAt >= QUIET_RESET_MS;
  return failures.count >= FREE_FAILURES && quiet ? undefined : failures;
}

/**
 * Checks a password proof under the lockout rules. Returns the user to save
 * (or undefined when nothing changed) and the error to throw, if any.
 */
export function passwordAttempt(
  user: StoredUser,
  passwordIsRight: () => boolean,
  now: number,
): { user: StoredUser | undefined; error: Error | undefined } {
  const failures = current(user, now);
  if (failures && now < failures.lockedUntil) {
    return {
      user: { ...user, signInFailures: { ...failures, lastAttemptAt: now } },
      error: notAuthorized("Password attempts exceeded"),
    };
  }
  if (passwordIsRight()) {
    if (!user.signInFailures) return { user: undefined, error: undefined };
    const { signInFailures: _cleared, ...rest } = user;
    return { user: rest, error: undefined };
  }
  const count = (failures?.count ?? 0) + 1;
  const lockMs =
    count >= FREE_FAILURES ? Math.min(2 ** (count - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS) : 0;
  return {
    user: { ...user, signInFailures: { count, lockedUntil: now + lockMs, lastAttemptAt: now } },
    error: notAuthorized("Incorrect username or password."),
  };
}
