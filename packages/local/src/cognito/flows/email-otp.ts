import { randomInt } from "node:crypto";
import { assertMaySendCode, checkCode, codeMismatch, withNewCode } from "../codes";
import { nowMs } from "../context";
import { invalidParameter, notAuthorized } from "../errors";
import type { StoredUser } from "../user";
import { completeSignIn } from "./complete";
import type { AuthCall, AuthChallenge } from "./types";
import { userAuthSessions } from "./user-auth-sessions";

/** Cognito's email sign-in codes have eight digits (its confirmation codes six). */
const newSignInCode = () => randomInt(0, 100_000_000).toString().padStart(8, "0");

/** Sends a sign-in code to the user's email (the local mailbox); the previous one stops working. */
export async function sendSignInCode(call: AuthCall, user: StoredUser, to: string) {
  const at = nowMs(call.services);
  assertMaySendCode(user, "sign-in", at);
  const code = newSignInCode();
  await call.pool.save(user, withNewCode(user, "sign-in", code, at));
  call.services.mailbox.record({ to, kind: "sign-in", code });
}

/**
 * EMAIL_OTP: the code from the email. A wrong code may be retyped in the same session; the
 * code expires with the session (3 minutes by default) and counts toward the pool's hourly
 * limit of wrong codes. It is a sign-in code only: no other purpose's code is accepted.
 */
export const emailOtp: AuthChallenge = {
  name: "EMAIL_OTP",
  async respond(call, session) {
    const code = call.parameters.EMAIL_OTP_CODE;
    if (!code) throw invalidParameter("Missing required parameter EMAIL_OTP_CODE");
    const taken = userAuthSessions.takeRetryable(call.services, call.client, session);
    if (taken.state.step !== "EMAIL_OTP") throw notAuthorized("Invalid session for the user.");
    const user = taken.state.username ? await call.pool.getUser(taken.state.username) : undefined;
    if (!user) {
      taken.retry();
      throw codeMismatch();
    }
    const check = checkCode(user, "sign-in", code, nowMs(call.services));
    if (!check.ok) {
      if (check.user) {
        await call.pool.save(user, check.user);
        taken.retry();
      }
      throw check.error;
    }
    await call.pool.save(user, check.user);
    return completeSignIn(call, check.user, "TokenGeneration_Authentication", {
      secondFactorDone: true,
    });
  },
};
