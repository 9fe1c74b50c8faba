import type { UserCodes } from "./codes";
import type { SignInFailures } from "./lockout";

export type UserStatus =
  | "UNCONFIRMED"
  | "CONFIRMED"
  | "FORCE_CHANGE_PASSWORD"
  | "RESET_REQUIRED"
  | "ARCHIVED"
  | "COMPROMISED"
  | "UNKNOWN";

/** What the pool keeps of a password: the SRP salt and verifier Cognito keeps, never the password. */
export interface StoredPassword {
  /** Hex. */
  salt: string;
  /** Hex: g^x mod N, x = H(salt ‖ H(poolName ‖ username ‖ ":" ‖ password)). */
  verifier: string;
  /** Ms since the epoch, by the local clock. */
  setAt: number;
}

export interface StoredUser extends UserCodes {
  /** As created: the `sub` in a pool whose usernames are emails or phone numbers. */
  username: string;
  /** Every attribute, `sub` and the `*_verified` flags included, as strings. */
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  /** Ms since the epoch, by the local clock. */
  createdAt: number;
  modifiedAt: number;
  password?: StoredPassword;
  signInFailures?: SignInFailures;
  /** TOTP MFA (an authenticator app), once associated. */
  softwareToken?: StoredSoftwareToken;
  /** Passkeys (WebAuthn credentials) registered by the user. */
  passkeys?: StoredPasskey[];
  /** The challenge of a passkey registration started and not yet completed. */
  passkeyRegistration?: { challenge: string; startedAt: number };
  /** An attribute change waiting for its code (AttributesRequireVerificationBeforeUpdate). */
  pendingAttributes?: Record<string, string>;
}

export interface StoredSoftwareToken {
  /** Base32, as AssociateSoftwareToken returned it. */
  secret: string;
  /** Set by VerifySoftwareToken; a secret never verified can't sign in. */
  verified: boolean;
  /** MFA on (SetUserMFAPreference); only a verified token can be. */
  enabled: boolean;
  preferred: boolean;
  /** A newer secret from AssociateSoftwareToken, until VerifySoftwareToken proves it. */
  pendingSecret?: string;
  /** The last 30-second step whose code was accepted: a code is used once. */
  lastUsedStep?: number;
  friendlyName?: string;
}

export interface StoredPasskey {
  /** Base64url credential id. */
  id: string;
  /** Base64url COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  relyingPartyId: string;
  attachment?: string;
  friendlyName: string;
  createdAt: number;
}

export const attributeList = (attributes: Record<string, string>, only?: Set<string>) =>
  Object.entries(attributes)
    .filter(([name]) => !only || only.has(name))
    .map(([Name, Value]) => ({ Name, Value }));

/** The API's dates: epoch seconds, fractional. */
export const apiDate = (ms: number) => ms / 1000;

/** A user as ListUsers, AdminCreateUser and the like return it. */
export function userType(user: StoredUser, only?: Set<string>) {
  return {
    Username: user.username,
    Attributes: attributeList(user.attributes, only),
    UserCreateDate: apiDate(user.createdAt),
    UserLastModifiedDate: apiDate(user.modifiedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
