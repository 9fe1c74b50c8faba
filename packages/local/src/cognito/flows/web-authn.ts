import { invalidParameter, notAuthorized } from "../errors";
import type { StoredUser } from "../user";
import { verifyAssertion } from "../webauthn";
import { completeSignIn } from "./complete";
import type { AuthChallenge } from "./types";
import { userAuthSessions } from "./user-auth-sessions";

/**
 * WEB_AUTHN: the passkey's assertion (CREDENTIAL, JSON) over the challenge this session sent.
 * The session answers once, so an assertion can't be replayed; the sign count must grow.
 */
export const webAuthnAnswer: AuthChallenge = {
  name: "WEB_AUTHN",
  async respond(call, session) {
    const credential = call.parameters.CREDENTIAL;
    if (!credential) throw invalidParameter("Missing required parameter CREDENTIAL");
    const state = userAuthSessions.take(call.services, call.client, session);
    if (state.step !== "WEB_AUTHN" || !state.challenge || !state.username) {
      throw notAuthorized("Invalid session for the user.");
    }
    const user = await call.pool.getUser(state.username);
    if (!user?.enabled) throw notAuthorized("Invalid session for the user.");
    const { passkey, newCounter } = await verifyAssertion(
      call.pool.spec,
      user.passkeys ?? [],
      credential,
      state.challenge,
    );
    const signedIn: StoredUser = {
      ...user,
      passkeys: (user.passkeys ?? []).map((p) =>
        p.id === passkey.id ? { ...p, counter: newCounter } : p,
      ),
    };
    await call.pool.save(user, signedIn);
    return completeSignIn(call, signedIn, "TokenGeneration_Authentication", {
      secondFactorDone: true,
    });
  },
};
