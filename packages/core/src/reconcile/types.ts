/** The shapes reconciling passes between its scan (index.ts) and its writes (apply.ts). */
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { PoolUsers } from "../pool-users/index";
import type { Profile } from "../profile/index";

export interface Deps {
  profiles: Profile.Store;
  cognito: CognitoIdentityProviderClient;
  userPoolId: string;
}

export interface Drift {
  userId: string;
  /** The email the profile holds. */
  from: string;
  /** The user's verified email in the pool. */
  to: string;
}

export interface Findings {
  usersScanned: number;
  profilesScanned: number;
  /** Confirmed users (any status but UNCONFIRMED) without a profile. */
  missing: PoolUsers.User[];
  /** Profiles whose user was not in the pool's listing. */
  orphans: { userId: string; email: string }[];
  /** Profiles whose email differs from the user's verified email. */
  drift: Drift[];
  /** Users who never confirmed: reported, not healed (the trigger runs when they confirm). */
  unconfirmed: string[];
}

export type Progress =
  | { phase: "profiles"; done: number }
  | { phase: "users"; done: number }
  | { phase: "apply"; done: number; total: number };

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}
