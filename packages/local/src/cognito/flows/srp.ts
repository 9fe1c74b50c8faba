import { randomBytes } from "node:crypto";
import {
  CognitoError,
  incorrectCredentials,
  invalidParameter,
  notAuthorized,
  userDisabled,
  userNotConfirmed,
} from "../errors";
import {
  challengeFromVerifier,
  createChallenge,
  poolName,
  type SrpChallenge,
  verifyPasswordClaim,
} from "../srp";
import { checkPassword, completeSignIn } from "./complete";
import { ChallengeSessions } from "./sessions";
import type { AuthChallenge, AuthFlow } from "./types";

interface SrpState {
  challenge: SrpChallenge;
  srpA: string;
  /** The user's stored username, or undefined for a name no user has. */
  username: string | undefined;
  userIdForSrp: string;
}

/** SRP sessions are found by their SECRET_BLOCK, which the client sends back. */
const pending = new ChallengeSessions<SrpState>();

/** A uuid-shaped (version 4) rendering of 16 bytes. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * USER_SRP_AUTH: the pool sends B, its salt and a secret block for the
 * user's stored verifier. For a name no user has (PreventUserExistenceErrors
 * on) it answers the same way, with a salt and a uuid-shaped user id that
 * stay the same for that name (RFC 5054's simulated response), and fails at
 * the proof as a wrong password does.
 */
export const userSrpAuth: AuthFlow = {
  names: ["USER_SRP_AUTH"],
  permission: "ALLOW_USER_SRP_AUTH",
  api: "both",
  async start(call) {
    const { USERNAME: username, SRP_A: srpA } = call.parameters;
    if (!username) throw invalidParameter("Missing required parameter USERNAME");
    if (!srpA) throw invalidParameter("Missing required parameter SRP_A");
    const user = await call.pool.findUser(username);
    if (!user && call.client.preventUserExistenceErrors !== "ENABLED") {
      throw new CognitoError("UserNotFoundException", "User does not exist.");
    }
    if (user && !user.enabled) throw userDisabled();
    const pool = poolName(call.pool.id);
    let challenge: SrpChallenge;
    let userIdForSrp: string;
    if (user?.password) {
      userIdForSrp = user.username;
      challenge = challengeFromVerifier(user.password.salt, user.password.verifier);
    } else {
      userIdForSrp = uuidFrom(call.pool.hmac("unknown-user-id", username.toLowerCase()));
      const salt = call.pool.hmac("srp-salt", userIdForSrp).subarray(0, 16).toString("hex");
      challenge = createChallenge(pool, userIdForSrp, randomBytes(32).toString("hex"), salt);
    }
    pending.open(
      call.services,
      call.pool.id,
      call.client,
      { challenge, srpA, username: user?.username, userIdForSrp },
      challenge.secretBlock,
    );
    return {
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeParameters: {
        SALT: challenge.salt,
        SECRET_BLOCK: challenge.secretBlock,
        SRP_B: challenge.srpB,
        USERNAME: userIdForSrp,
        USER_ID_FOR_SRP: userIdForSrp,
      },
    };
  },
};

/** PASSWORD_VERIFIER: the client's proof that it knows the password behind the verifier. */
export const passwordVerifier: AuthChallenge = {
  name: "PASSWORD_VERIFIER",
  async respond(call) {
    const responses = call.parameters;
    const {
      PASSWORD_CLAIM_SECRET_BLOCK: block,
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    } = responses;
    if (!block || !signature || !timestamp || !responses.USERNAME) {
      throw invalidParameter(
        "Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP or USERNAME",
      );
    }
    const state = pending.take(call.services, call.client, block);
    const user = state.username ? await call.pool.getUser(state.username) : undefined;
    const named = await call.pool.findUser(responses.USERNAME);
    if (!user || named?.username !== user.username) throw incorrectCredentials();
    if (!user.enabled) throw userDisabled();
    // Cognito tells an unconfirmed user so whatever the password.
    if (user.status === "UNCONFIRMED") throw userNotConfirmed();
    if (!user.password) throw notAuthorized("Incorrect username or password.");
    const proven = await checkPassword(call, user, () =>
      verifyPasswordClaim(poolName(call.pool.id), state.userIdForSrp, state.challenge, {
        srpA: state.srpA,
        timestamp,
        signature,
      }),
    );
    return completeSignIn(call, proven);
  },
};
