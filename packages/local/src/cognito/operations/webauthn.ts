import { nowMs, type Services } from "../context";
import { CognitoError, invalidParameter } from "../errors";
import { type Request, requiredString } from "../input";
import { verifyAccessToken } from "../tokens";
import { apiDate, type StoredPasskey, type StoredUser } from "../user";
import {
  assertPasskeysEnabled,
  CHALLENGE_LIFETIME_MS,
  MAX_PASSKEYS,
  registrationOptions,
  verifyRegistration,
  webAuthnError,
} from "../webauthn";
import { serialUser } from "./shared";

const challengeNotFound = () =>
  webAuthnError(
    "WebAuthnChallengeNotFoundException",
    "No passkey registration is in progress: call StartWebAuthnRegistration first.",
  );

function friendlyName(existing: StoredPasskey[]) {
  const names = new Set(existing.map((p) => p.friendlyName));
  let n = existing.length + 1;
  while (names.has(`Passkey ${n}`)) n += 1;
  return `Passkey ${n}`;
}

const credentialType = (p: StoredPasskey) => ({
  CredentialId: p.id,
  FriendlyCredentialName: p.friendlyName,
  RelyingPartyId: p.relyingPartyId,
  ...(p.attachment ? { AuthenticatorAttachment: p.attachment } : {}),
  AuthenticatorTransports: p.transports,
  CreatedAt: apiDate(p.createdAt),
});

/** Passkeys a signed-in user registers, lists and removes (with its access token). */
export const webAuthnOperations = {
  async StartWebAuthnRegistration(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    assertPasskeysEnabled(pool.spec);
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      if ((current.passkeys ?? []).length >= MAX_PASSKEYS) {
        throw new CognitoError(
          "LimitExceededException",
          `A user can register at most ${MAX_PASSKEYS} passkeys.`,
        );
      }
      const options = await registrationOptions(pool.spec, current);
      const now = nowMs(services);
      await pool.save(current, {
        ...current,
        passkeyRegistration: { challenge: options.challenge, startedAt: now },
      });
      return { CredentialCreationOptions: options };
    });
  },

  async CompleteWebAuthnRegistration(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    assertPasskeysEnabled(pool.spec);
    if (req.Credential === undefined || req.Credential === null) {
      throw invalidParameter("Credential is required.");
    }
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const started = current.passkeyRegistration;
      const now = nowMs(services);
      if (!started || now - started.startedAt > CHALLENGE_LIFETIME_MS) throw challengeNotFound();
      // A registration challenge is answered once, whether or not the answer holds.
      const { passkeyRegistration: _, ...withoutChallenge } = current;
      await pool.save(current, withoutChallenge);
      const registered = await verifyRegistration(pool.spec, req.Credential, started.challenge);
      const passkeys = current.passkeys ?? [];
      if (passkeys.some((p) => p.id === registered.id)) {
        throw webAuthnError(
          "WebAuthnCredentialNotSupportedException",
          "This passkey is already registered.",
        );
      }
      const passkey: StoredPasskey = {
        ...registered,
        friendlyName: friendlyName(passkeys),
        createdAt: now,
      };
      const next: StoredUser = {
        ...withoutChallenge,
        passkeys: [...passkeys, passkey],
        modifiedAt: now,
      };
      await pool.save(withoutChallenge, next);
      return {};
    });
  },

  async ListWebAuthnCredentials(services: Services, req: Request) {
    const { user } = await verifyAccessToken(services, req.AccessToken);
    const max = req.MaxResults === undefined ? 20 : Number(req.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 20) {
      throw invalidParameter("MaxResults must be an integer from 1 to 20.");
    }
    const passkeys = user.passkeys ?? [];
    const start =
      req.NextToken === undefined ? 0 : passkeys.findIndex((p) => p.id === req.NextToken);
    if (start < 0) throw invalidParameter("NextToken is not valid.");
    const page = passkeys.slice(start, start + max);
    const next = passkeys[start + max];
    return { Credentials: page.map(credentialType), ...(next ? { NextToken: next.id } : {}) };
  },

  async DeleteWebAuthnCredential(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    const id = requiredString(req, "CredentialId", "credentialId");
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const passkeys = current.passkeys ?? [];
      if (!passkeys.some((p) => p.id === id)) {
        throw new CognitoError("ResourceNotFoundException", "Credential not found.");
      }
      await pool.save(current, {
        ...current,
        passkeys: passkeys.filter((p) => p.id !== id),
        modifiedAt: nowMs(services),
      });
      return {};
    });
  },
};
