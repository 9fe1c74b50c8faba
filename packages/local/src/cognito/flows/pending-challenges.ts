/**
 * The challenges a sign-in whose password was proven may still have to answer: issued here
 * (completeSignIn), answered in new-password.ts and software-token.ts.
 */
import type { TokenSource } from "../pre-token-generation";
import { totpMfaOn } from "../totp";
import type { StoredUser } from "../user";
import { ChallengeSessions } from "./sessions";
import type { AuthCall, AuthResult } from "./types";

/** Sign-ins waiting for a new password. */
export const newPasswordSessions = new ChallengeSessions<{ username: string }>();

/** NEW_PASSWORD_REQUIRED: a user created by an administrator signs in with its temporary password. */
export function newPasswordChallenge(call: AuthCall, user: StoredUser): AuthResult {
  const { sub: _sub, ...attributes } = user.attributes;
  const session = newPasswordSessions.open(call.services, call.pool.id, call.client, {
    username: user.username,
  });
  return {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    ChallengeParameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: "[]",
      userAttributes: JSON.stringify(attributes),
    },
    Session: session,
  };
}

/** Sign-ins waiting for a TOTP code. */
export const softwareTokenSessions = new ChallengeSessions<{
  username: string;
  source: TokenSource;
}>();

/** Whether a password sign-in must still prove a TOTP code (optional MFA the user turned on). */
export function needsSoftwareTokenMfa(call: AuthCall, user: StoredUser) {
  return call.pool.spec.mfaConfiguration !== "OFF" && totpMfaOn(user.softwareToken);
}

/** SOFTWARE_TOKEN_MFA: the code of the user's authenticator app, after the password. */
export function softwareTokenChallenge(
  call: AuthCall,
  user: StoredUser,
  source: TokenSource,
): AuthResult {
  const session = softwareTokenSessions.open(call.services, call.pool.id, call.client, {
    username: user.username,
    source,
  });
  return {
    ChallengeName: "SOFTWARE_TOKEN_MFA",
    ChallengeParameters: user.softwareToken?.friendlyName
      ? { FRIENDLY_DEVICE_NAME: user.softwareToken.friendlyName }
      : {},
    Session: session,
  };
}
