import {
  CognitoError,
  incorrectCredentials,
  invalidParameter,
  userDisabled,
  userNotConfirmed,
} from "../errors";
import { passwordMatches } from "../passwords";
import { checkPassword, completeSignIn } from "./complete";
import type { AuthCall, AuthFlow } from "./types";

async function passwordSignIn(call: AuthCall) {
  const { USERNAME: username, PASSWORD: password } = call.parameters;
  if (!username || password === undefined) {
    throw invalidParameter("Missing required parameter USERNAME or PASSWORD");
  }
  const user = await call.pool.findUser(username);
  if (!user) {
    if (call.client.preventUserExistenceErrors === "ENABLED") throw incorrectCredentials();
    throw new CognitoError("UserNotFoundException", "User does not exist.");
  }
  if (!user.enabled) throw userDisabled();
  if (user.status === "UNCONFIRMED") throw userNotConfirmed();
  const proven = await checkPassword(call, user, () => passwordMatches(call.pool, user, password));
  return completeSignIn(call, proven);
}

/** USER_PASSWORD_AUTH: the password itself, over TLS on AWS. */
export const userPasswordAuth: AuthFlow = {
  names: ["USER_PASSWORD_AUTH"],
  permission: "ALLOW_USER_PASSWORD_AUTH",
  api: "user",
  start: passwordSignIn,
};

/** ADMIN_USER_PASSWORD_AUTH (and its legacy name ADMIN_NO_SRP_AUTH), from a trusted back end. */
export const adminUserPasswordAuth: AuthFlow = {
  names: ["ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH"],
  permission: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  api: "admin",
  start: passwordSignIn,
};
