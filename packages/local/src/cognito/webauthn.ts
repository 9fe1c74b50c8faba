/**
 * Passkeys (WebAuthn) for the local pool: options and verification by @simplewebauthn/server,
 * so origin, RP ID hash, challenge, signature, user verification and sign count are checked
 * as the WebAuthn spec says, not by hand.
 */

import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { UserPoolSpec } from "../spec";
import { CognitoError, invalidParameter, notAuthorized } from "./errors";
import type { StoredPasskey, StoredUser } from "./user";

/** How long a registration or sign-in challenge may be answered. */
export const CHALLENGE_LIFETIME_MS = 3 * 60_000;
/** Passkeys one user may register (Cognito's quota). */
export const MAX_PASSKEYS = 20;

export const webAuthnError = (type: string, message: string) => new CognitoError(type, message);

/** Cognito refuses passkeys on Lite and on a pool whose sign-in policy leaves WEB_AUTHN out. */
export function assertPasskeysEnabled(spec: UserPoolSpec) {
  if (spec.userPoolTier === "LITE") {
    throw new CognitoError(
      "FeatureUnavailableInTierException",
      "This feature is not available in the LITE tier of your user pool.",
    );
  }
  if (!spec.allowedFirstAuthFactors?.includes("WEB_AUTHN")) {
    throw webAuthnError(
      "WebAuthnNotEnabledException",
      "WebAuthn is not enabled in the sign-in policy of this user pool.",
    );
  }
}

export function relyingPartyOf(spec: UserPoolSpec) {
  const id = spec.webAuthn?.relyingPartyId;
  if (!id) {
    throw webAuthnError(
      "WebAuthnConfigurationMissingException",
      "The user pool has no WebAuthn relying party ID.",
    );
  }
  return { id, userVerification: spec.webAuthn?.userVerification ?? "preferred" } as const;
}

/**
 * The origin the browser signed (clientDataJSON's), if it may use this relying party: its
 * host is the RP ID or below it, over HTTPS, or plain HTTP on localhost (WebAuthn's rule).
 */
function allowedOrigin(clientDataJSON: unknown, rpId: string): string {
  let origin: unknown;
  try {
    origin = JSON.parse(Buffer.from(String(clientDataJSON), "base64url").toString("utf8")).origin;
  } catch {
    throw invalidParameter("The credential's clientDataJSON is not valid.");
  }
  const url = typeof origin === "string" && URL.canParse(origin) ? new URL(origin) : undefined;
  const host = url?.hostname;
  const secure = url?.protocol === "https:" || (url?.protocol === "http:" && host === "localhost");
  if (!url || !host || !secure || (host !== rpId && !host.endsWith(`.${rpId}`))) {
    throw webAuthnError(
      "WebAuthnOriginNotAllowedException",
      "The credential's origin is not allowed for this relying party.",
    );
  }
  return String(origin);
}

function asResponse<T>(value: unknown): T & { response: { clientDataJSON: string } } {
  const parsed = typeof value === "string" ? safeJson(value) : value;
  const response = (parsed as { response?: { clientDataJSON?: unknown } } | undefined)?.response;
  if (!parsed || typeof parsed !== "object" || typeof response?.clientDataJSON !== "string") {
    throw invalidParameter("Credential must be a WebAuthn public key credential (JSON).");
  }
  return parsed as T & { response: { clientDataJSON: string } };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function registrationOptions(spec: UserPoolSpec, user: StoredUser) {
  const rp = relyingPartyOf(spec);
  const email = user.attributes.email ?? user.username;
  return generateRegistrationOptions({
    rpName: spec.name,
    rpID: rp.id,
    userName: email,
    userDisplayName: email,
    userID: new TextEncoder().encode(user.attributes.sub ?? user.username),
    timeout: CHALLENGE_LIFETIME_MS,
    attestationType: "none",
    excludeCredentials: (user.passkeys ?? []).map((p) => ({
      id: p.id,
      transports: p.transports as AuthenticatorTransport[],
    })),
    authenticatorSelection: { residentKey: "required", userVerification: rp.userVerification },
  });
}

export async function verifyRegistration(
  spec: UserPoolSpec,
  credential: unknown,
  expectedChallenge: string,
) {
  const rp = relyingPartyOf(spec);
  const response = asResponse<RegistrationResponseJSON>(credential);
  const origin = allowedOrigin(response.response.clientDataJSON, rp.id);
  let result: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rp.id,
      requireUserVerification: rp.userVerification === "required",
    });
  } catch (error) {
    throw registrationFailure(error);
  }
  if (!result.verified) throw registrationFailure(undefined);
  const info = result.registrationInfo;
  return {
    id: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    relyingPartyId: rp.id,
    ...(response.authenticatorAttachment ? { attachment: response.authenticatorAttachment } : {}),
  };
}

function registrationFailure(error: unknown) {
  const message = error instanceof Error ? error.message : "";
  if (/challenge/i.test(message)) {
    return webAuthnError(
      "WebAuthnChallengeNotFoundException",
      "The credential does not answer the registration challenge.",
    );
  }
  if (/RP ID/i.test(message)) {
    return webAuthnError(
      "WebAuthnRelyingPartyMismatchException",
      "The credential was made for another relying party.",
    );
  }
  return webAuthnError(
    "WebAuthnCredentialNotSupportedException",
    "The credential could not be verified.",
  );
}

export async function authenticationOptions(spec: UserPoolSpec, passkeys: StoredPasskey[]) {
  const rp = relyingPartyOf(spec);
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CHALLENGE_LIFETIME_MS,
    userVerification: rp.userVerification,
    allowCredentials: passkeys.map((p) => ({
      id: p.id,
      transports: p.transports as AuthenticatorTransport[],
    })),
  });
}

const passkeyRefused = () => notAuthorized("The passkey could not be verified.");

/** The passkey that signed this assertion and its new sign count; NotAuthorized otherwise. */
export async function verifyAssertion(
  spec: UserPoolSpec,
  passkeys: StoredPasskey[],
  credential: unknown,
  expectedChallenge: string,
) {
  const rp = relyingPartyOf(spec);
  const response = asResponse<AuthenticationResponseJSON>(credential);
  const origin = allowedOrigin(response.response.clientDataJSON, rp.id);
  const passkey = passkeys.find((p) => p.id === response.id);
  if (!passkey) throw passkeyRefused();
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rp.id,
      requireUserVerification: rp.userVerification === "required",
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransport[],
      },
    });
    if (!result.verified) throw passkeyRefused();
    return { passkey, newCounter: result.authenticationInfo.newCounter };
  } catch {
    throw passkeyRefused();
  }
}
