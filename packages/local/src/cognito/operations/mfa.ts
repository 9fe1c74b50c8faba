import { nowMs, type Services } from "../context";
import { CognitoError, invalidParameter } from "../errors";
import { type Request, requiredString } from "../input";
import type { Pool } from "../pool";
import { verifyAccessToken } from "../tokens";
import { acceptedStep, newTotpSecret, totpMfaOn } from "../totp";
import type { StoredUser } from "../user";
import { serialUser } from "./shared";

function assertTotpOffered(pool: Pool) {
  if (pool.spec.mfaConfiguration === "OFF" || !pool.spec.softwareTokenMfaEnabled) {
    throw new CognitoError(
      "SoftwareTokenMFANotFoundException",
      "Software Token MFA has not been enabled by the userPool.",
    );
  }
}

/** A user's MFA as GetUser and AdminGetUser report it. */
export function mfaSettings(user: StoredUser) {
  if (!totpMfaOn(user.softwareToken)) return {};
  return {
    UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
    ...(user.softwareToken?.preferred ? { PreferredMfaSetting: "SOFTWARE_TOKEN_MFA" } : {}),
  };
}

/** Applies SoftwareTokenMfaSettings; SMS and email MFA are not offered by the local pool. */
function withMfaPreference(user: StoredUser, req: Request): StoredUser {
  for (const other of ["SMSMfaSettings", "EmailMfaSettings"]) {
    const settings = req[other] as { Enabled?: unknown } | undefined;
    if (settings?.Enabled === true) {
      throw invalidParameter(`${other.replace("Settings", "")} is not enabled for this user pool.`);
    }
  }
  const settings = req.SoftwareTokenMfaSettings as
    | { Enabled?: unknown; PreferredMfa?: unknown }
    | undefined;
  if (settings === undefined || settings === null) return user;
  if (typeof settings !== "object") throw invalidParameter("SoftwareTokenMfaSettings is invalid.");
  const token = user.softwareToken;
  const enabled = settings.Enabled ?? token?.enabled ?? false;
  const preferred = settings.PreferredMfa ?? (enabled ? token?.preferred : false) ?? false;
  if (typeof enabled !== "boolean" || typeof preferred !== "boolean") {
    throw invalidParameter("Enabled and PreferredMfa must be booleans.");
  }
  if ((enabled || preferred) && !token?.verified) {
    throw invalidParameter("User has not verified software token mfa");
  }
  if (!token) return user;
  return { ...user, softwareToken: { ...token, enabled, preferred: enabled && preferred } };
}

/** TOTP MFA: an authenticator app's shared secret, its first code, and the user's choice. */
export const mfaOperations = {
  async AssociateSoftwareToken(services: Services, req: Request) {
    if (req.AccessToken === undefined && req.Session !== undefined) {
      throw invalidParameter(
        "Associating a token during sign-in (MFA required) is not emulated: sign in, then associate with the access token.",
      );
    }
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    assertTotpOffered(pool);
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const secret = newTotpSecret();
      const token = current.softwareToken;
      // A new secret waits for its first code; until then the verified one (if any) still signs in.
      const next: StoredUser = {
        ...current,
        softwareToken: token
          ? { ...token, pendingSecret: secret }
          : { secret, verified: false, enabled: false, preferred: false, pendingSecret: secret },
        modifiedAt: nowMs(services),
      };
      await pool.save(current, next);
      return { SecretCode: secret };
    });
  },

  async VerifySoftwareToken(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    assertTotpOffered(pool);
    const code = requiredString(req, "UserCode", "userCode");
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const token = current.softwareToken;
      const secret = token?.pendingSecret;
      if (!token || !secret) {
        throw new CognitoError(
          "InvalidParameterException",
          "No software token is being associated: call AssociateSoftwareToken first.",
        );
      }
      const now = nowMs(services);
      const step = acceptedStep(secret, code, now, undefined);
      if (step === undefined) {
        throw new CognitoError(
          "EnableSoftwareTokenMFAException",
          "Code mismatch and fail enable Software Token MFA",
        );
      }
      const friendly = typeof req.FriendlyDeviceName === "string" ? req.FriendlyDeviceName : "";
      const { pendingSecret: _, ...rest } = token;
      await pool.save(current, {
        ...current,
        softwareToken: {
          ...rest,
          secret,
          verified: true,
          enabled: true,
          preferred: true,
          lastUsedStep: step,
          ...(friendly ? { friendlyName: friendly } : {}),
        },
        modifiedAt: now,
      });
      return { Status: "SUCCESS" };
    });
  },

  async SetUserMFAPreference(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const next = withMfaPreference(current, req);
      if (next !== current) await pool.save(current, { ...next, modifiedAt: nowMs(services) });
      return {};
    });
  },

  async AdminSetUserMFAPreference(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const name = requiredString(req, "Username", "username");
    return serialUser(pool, name, async () => {
      const current = await pool.findUser(name);
      if (!current) throw new CognitoError("UserNotFoundException", "User does not exist.");
      const next = withMfaPreference(current, req);
      if (next !== current) await pool.save(current, { ...next, modifiedAt: nowMs(services) });
      return {};
    });
  },
};
