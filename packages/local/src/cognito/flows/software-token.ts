import { nowMs } from "../context";
import { CognitoError, invalidParameter, notAuthorized } from "../errors";
import type { TokenSource } from "../pre-token-generation";
import { acceptedStep, totpMfaOn } from "../totp";
import type { StoredUser } from "../user";
import { completeSignIn } from "./complete";
import { ChallengeSessions } from "./sessions";
import type { AuthCall, AuthChallenge, AuthResult } from "./types";

const pending = new ChallengeSessions<{ username: string; source: TokenSource }>();

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
  const session = pending.open(call.services, call.pool.id, call.client, {
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

export const codeMismatchForUser = () =>
  new CognitoError("CodeMismatchException", "Invalid code received for user");

export const softwareTokenMfa: AuthChallenge = {
  name: "SOFTWARE_TOKEN_MFA",
  async respond(call, session) {
    const code = call.parameters.SOFTWARE_TOKEN_MFA_CODE;
    if (!code) throw invalidParameter("Missing required parameter SOFTWARE_TOKEN_MFA_CODE");
    const taken = pending.takeRetryable(call.services, call.client, session);
    const user = await call.pool.getUser(taken.state.username);
    if (!user?.enabled || !user.softwareToken) throw notAuthorized("Invalid session for the user.");
    const named = call.parameters.USERNAME
      ? await call.pool.findUser(call.parameters.USERNAME)
      : user;
    if (named?.username !== user.username) throw notAuthorized("Invalid session for the user.");
    const now = nowMs(call.services);
    const token = user.softwareToken;
    const step = acceptedStep(token.secret, code, now, token.lastUsedStep);
    if (step === undefined) {
      taken.retry();
      throw codeMismatchForUser();
    }
    const used: StoredUser = { ...user, softwareToken: { ...token, lastUsedStep: step } };
    await call.pool.save(user, used);
    return completeSignIn(call, used, taken.state.source, { secondFactorDone: true });
  },
};
