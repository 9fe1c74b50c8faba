import { ChallengeSessions } from "./sessions";

/** Where a USER_AUTH sign-in stands between calls. */
export interface UserAuthState {
  /** The stored username, or undefined for a name no user has (PreventUserExistenceErrors). */
  username: string | undefined;
  /** The name the caller signs in with. */
  name: string;
  step: "SELECT_CHALLENGE" | "EMAIL_OTP" | "WEB_AUTHN";
  /** WEB_AUTHN: the challenge the assertion must sign. */
  challenge?: string;
}

export const userAuthSessions = new ChallengeSessions<UserAuthState>();
/** ConfirmSignUp's Session: signs the new user in once through USER_AUTH (Amplify's autoSignIn). */
export const signUpSessions = new ChallengeSessions<{ username: string }>();
