import { nowMs } from "../context";
import { CognitoError, notAuthorized } from "../errors";
import { passwordAttempt } from "../lockout";
import type { TokenSource } from "../pre-token-generation";
import { issueTokens } from "../tokens";
import type { StoredUser } from "../user";
import { newPasswordChallenge } from "./new-password";
import { needsSoftwareTokenMfa, softwareTokenChallenge } from "./software-token";
import type { AuthCall, AuthResult } from "./types";

/** Applies Cognito's lockout after failed passwords (lockout.ts); throws on a wrong password. */
export async function checkPassword(call: AuthCall, user: StoredUser, isRight: () => boolean) {
  const attempt = passwordAttempt(user, isRight, nowMs(call.services));
  if (attempt.user) await call.pool.save(user, attempt.user);
  if (attempt.error) throw attempt.error;
  return attempt.user ?? user;
}

/** Tokens for a user whose password was proven, or the step its status still requires. */
export async function completeSignIn(
  call: AuthCall,
  user: StoredUser,
  source: TokenSource = "TokenGeneration_Authentication",
  options: { secondFactorDone?: boolean } = {},
): Promise<AuthResult> {
  if (user.status === "RESET_REQUIRED") {
    throw new CognitoError(
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
  }
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    const days = call.pool.spec.passwordPolicy.temporaryPasswordValidityDays;
    const setAt = user.password?.setAt ?? user.createdAt;
    if (nowMs(call.services) - setAt > days * 86_400_000) {
      throw notAuthorized("Temporary password has expired and must be reset by an administrator.");
    }
    return newPasswordChallenge(call, user);
  }
  if (!options.secondFactorDone && needsSoftwareTokenMfa(call, user)) {
    return softwareTokenChallenge(call, user, source);
  }
  const AuthenticationResult = await issueTokens(call.services, {
    pool: call.pool,
    client: call.client,
    user,
    source,
    clientMetadata: call.clientMetadata,
  });
  return { ChallengeParameters: {}, AuthenticationResult };
}
