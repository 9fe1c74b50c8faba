import { nowMs } from "../context";
import { invalidParameter } from "../errors";
import { assertPasswordAllowed } from "../password-policy";
import { storedPassword } from "../passwords";
import type { StoredUser } from "../user";
import { completeSignIn } from "./complete";
import { ChallengeSessions } from "./sessions";
import type { AuthCall, AuthChallenge, AuthResult } from "./types";

const pending = new ChallengeSessions<{ username: string }>();

/** NEW_PASSWORD_REQUIRED: a user created by an administrator signs in with its temporary password. */
export function newPasswordChallenge(call: AuthCall, user: StoredUser): AuthResult {
  const { sub: _sub, ...attributes } = user.attributes;
  const session = pending.open(call.services, call.pool.id, call.client, {
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

export const newPasswordRequired: AuthChallenge = {
  name: "NEW_PASSWORD_REQUIRED",
  async respond(call, session) {
    const newPassword = call.parameters.NEW_PASSWORD;
    assertPasswordAllowed(call.pool.spec.passwordPolicy, newPassword, "newPassword");
    const { username } = pending.take(call.services, call.client, session);
    const user = await call.pool.getUser(username);
    if (!user) throw invalidParameter("User does not exist.");
    const now = nowMs(call.services);
    const changed: StoredUser = {
      ...user,
      status: "CONFIRMED",
      password: storedPassword(call.pool, user.username, newPassword as string, now),
      modifiedAt: now,
    };
    await call.pool.save(user, changed);
    return completeSignIn(call, changed, "TokenGeneration_NewPasswordChallenge");
  },
};
