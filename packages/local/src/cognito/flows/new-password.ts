import { nowMs } from "../context";
import { invalidParameter } from "../errors";
import { assertPasswordAllowed } from "../password-policy";
import { storedPassword } from "../passwords";
import type { StoredUser } from "../user";
import { completeSignIn } from "./complete";
import { newPasswordSessions } from "./pending-challenges";
import type { AuthChallenge } from "./types";

export const newPasswordRequired: AuthChallenge = {
  name: "NEW_PASSWORD_REQUIRED",
  async respond(call, session) {
    const newPassword = call.parameters.NEW_PASSWORD;
    assertPasswordAllowed(call.pool.spec.passwordPolicy, newPassword, "newPassword");
    const { username } = newPasswordSessions.take(call.services, call.client, session);
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
