import { emailDelivery, maskDestination } from "../codes";
import {
  CognitoError,
  invalidParameter,
  notAuthorized,
  userDisabled,
  userNotConfirmed,
} from "../errors";
import { passwordMatches } from "../passwords";
import { totpMfaOn } from "../totp";
import type { StoredUser } from "../user";
import { authenticationOptions } from "../webauthn";
import { checkPassword, completeSignIn } from "./complete";
import { sendSignInCode } from "./email-otp";
import { userSrpAuth } from "./srp";
import type { AuthCall, AuthChallenge, AuthFlow, AuthResult } from "./types";
import { signUpSessions, userAuthSessions } from "./user-auth-sessions";

const CHALLENGE_NAMES = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
const PASSWORDLESS = new Set(["EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]);

const invalidSession = () => notAuthorized("Invalid session for the user.");

/**
 * What this user may sign in with: the pool's sign-in policy, narrowed to what the user has
 * (a password, a verified email, a passkey). A user with MFA on signs in with a password only,
 * as Cognito has no second factor after a passwordless one.
 */
export function availableChallenges(call: AuthCall, user: StoredUser | undefined): string[] {
  const factors = call.pool.spec.allowedFirstAuthFactors ?? ["PASSWORD"];
  const mfa = totpMfaOn(user?.softwareToken);
  const available: string[] = [];
  if (factors.includes("PASSWORD") && (!user || user.password)) {
    available.push("PASSWORD", "PASSWORD_SRP");
  }
  const verifiedEmail = user?.attributes.email && user.attributes.email_verified === "true";
  if (factors.includes("EMAIL_OTP") && !mfa && (!user || verifiedEmail))
    available.push("EMAIL_OTP");
  if (factors.includes("WEB_AUTHN") && !mfa && user?.passkeys?.length) available.push("WEB_AUTHN");
  return available;
}

function assertTierAllows(call: AuthCall, challenge: string) {
  if (PASSWORDLESS.has(challenge) && call.pool.spec.userPoolTier === "LITE") {
    throw new CognitoError(
      "FeatureUnavailableInTierException",
      "This feature is not available in the LITE tier of your user pool.",
    );
  }
}

/** Starts the chosen first factor: tokens, or the challenge that factor asks next. */
async function begin(
  call: AuthCall,
  user: StoredUser | undefined,
  name: string,
  choice: string,
): Promise<AuthResult> {
  const { parameters } = call;
  if (choice === "PASSWORD") {
    if (parameters.PASSWORD === undefined) {
      throw invalidParameter("Missing required parameter PASSWORD");
    }
    if (!user) throw notAuthorized("Incorrect username or password.");
    const password = parameters.PASSWORD;
    const proven = await checkPassword(call, user, () =>
      passwordMatches(call.pool, user, password),
    );
    return completeSignIn(call, proven);
  }
  if (choice === "PASSWORD_SRP") {
    if (!parameters.SRP_A) throw invalidParameter("Missing required parameter SRP_A");
    return userSrpAuth.start({ ...call, parameters: { USERNAME: name, SRP_A: parameters.SRP_A } });
  }
  if (choice === "EMAIL_OTP") {
    const to = user?.attributes.email;
    if (user && to) await sendSignInCode(call, user, to);
    const session = userAuthSessions.open(call.services, call.pool.id, call.client, {
      username: user?.username,
      name,
      step: "EMAIL_OTP",
    });
    return {
      ChallengeName: "EMAIL_OTP",
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL",
        CODE_DELIVERY_DESTINATION: to ? emailDelivery(to).Destination : maskDestination(name),
      },
      Session: session,
    };
  }
  if (choice === "WEB_AUTHN" && user?.passkeys?.length) {
    const options = await authenticationOptions(call.pool.spec, user.passkeys);
    const session = userAuthSessions.open(call.services, call.pool.id, call.client, {
      username: user.username,
      name,
      step: "WEB_AUTHN",
      challenge: options.challenge,
    });
    return {
      ChallengeName: "WEB_AUTHN",
      ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
      Session: session,
    };
  }
  throw invalidParameter(`The challenge ${choice} is not available for this user.`);
}

function selectChallenge(call: AuthCall, user: StoredUser | undefined, name: string): AuthResult {
  const session = userAuthSessions.open(call.services, call.pool.id, call.client, {
    username: user?.username,
    name,
    step: "SELECT_CHALLENGE",
  });
  return {
    ChallengeName: "SELECT_CHALLENGE",
    ChallengeParameters: {},
    Session: session,
    AvailableChallenges: availableChallenges(call, user),
  };
}

async function signInAfterSignUp(call: AuthCall, name: string, session: string) {
  const { username } = signUpSessions.take(call.services, call.client, session);
  const user = await call.pool.getUser(username);
  const named = await call.pool.findUser(name);
  if (!user || named?.username !== user.username) throw invalidSession();
  if (!user.enabled) throw userDisabled();
  return completeSignIn(call, user);
}

/**
 * USER_AUTH, choice-based sign-in: with PREFERRED_CHALLENGE the pool starts that factor if
 * this user can use it; otherwise it answers SELECT_CHALLENGE with the user's
 * AvailableChallenges. With ConfirmSignUp's Session it signs the new user in.
 */
export const userAuth: AuthFlow = {
  names: ["USER_AUTH"],
  permission: "ALLOW_USER_AUTH",
  api: "both",
  async start(call) {
    const name = call.parameters.USERNAME;
    if (!name) throw invalidParameter("Missing required parameter USERNAME");
    if (call.session !== undefined) return signInAfterSignUp(call, name, call.session);
    const user = await call.pool.findUser(name);
    if (!user && call.client.preventUserExistenceErrors !== "ENABLED") {
      throw new CognitoError("UserNotFoundException", "User does not exist.");
    }
    if (user && !user.enabled) throw userDisabled();
    if (user?.status === "UNCONFIRMED") throw userNotConfirmed();
    const preferred = call.parameters.PREFERRED_CHALLENGE;
    if (preferred !== undefined) {
      if (!CHALLENGE_NAMES.includes(preferred)) {
        throw invalidParameter(`${preferred} is not a valid PREFERRED_CHALLENGE.`);
      }
      assertTierAllows(call, preferred);
      if (availableChallenges(call, user).includes(preferred)) {
        return begin(call, user, name, preferred);
      }
    }
    return selectChallenge(call, user, name);
  },
};

/** SELECT_CHALLENGE: the factor the user picked (ANSWER), with its first input if it has one. */
export const selectChallengeAnswer: AuthChallenge = {
  name: "SELECT_CHALLENGE",
  async respond(call, session) {
    const answer = call.parameters.ANSWER;
    if (!answer) throw invalidParameter("Missing required parameter ANSWER");
    const state = userAuthSessions.take(call.services, call.client, session);
    if (state.step !== "SELECT_CHALLENGE") throw invalidSession();
    const user = state.username ? await call.pool.getUser(state.username) : undefined;
    if (state.username && !user) throw invalidSession();
    if (call.parameters.USERNAME) {
      const named = await call.pool.findUser(call.parameters.USERNAME);
      if (named?.username !== user?.username) throw invalidSession();
    }
    assertTierAllows(call, answer);
    if (!availableChallenges(call, user).includes(answer)) {
      throw invalidParameter(`The challenge ${answer} is not available for this user.`);
    }
    return begin(call, user, state.name, answer);
  },
};
