import { nowMs } from "../context";
import { CognitoError, invalidParameter, notAuthorized } from "../errors";
import { acceptedStep } from "../totp";
import type { StoredUser } from "../user";
import { completeSignIn } from "./complete";
import { softwareTokenSessions } from "./pending-challenges";
import type { AuthChallenge } from "./types";

export const codeMismatchForUser = () =>
  new CognitoError("CodeMismatchException", "Invalid code received for user");

export const softwareTokenMfa: AuthChallenge = {
  name: "SOFTWARE_TOKEN_MFA",
  async respond(call, session) {
    const code = call.parameters.SOFTWARE_TOKEN_MFA_CODE;
    if (!code) throw invalidParameter("Missing required parameter SOFTWARE_TOKEN_MFA_CODE");
    const taken = softwareTokenSessions.takeRetryable(call.services, call.client, session);
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
