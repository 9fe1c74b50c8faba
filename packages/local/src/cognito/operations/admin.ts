import { randomInt } from "node:crypto";
import { attributeRecord, checkRequired, checkWrite } from "../attributes";
import { nowMs, type Services } from "../context";
import { CognitoError, invalidParameter, notAuthorized, userNotFound } from "../errors";
import { clientMetadata, type Request, username, validationData } from "../input";
import { assertPasswordAllowed } from "../password-policy";
import { storedPassword } from "../passwords";
import type { Pool } from "../pool";
import { postConfirmation } from "../post-confirmation";
import { preSignUp } from "../pre-sign-up";
import { revokeAllOf } from "../tokens";
import { apiDate, attributeList, type StoredUser, userType } from "../user";
import { applyAttributeChanges } from "./attribute-changes";
import { mfaSettings } from "./mfa";
import { codeDestination, existsError, newIdentity, sendCode, serialUser } from "./shared";

/** The pool and user an admin call names; UserNotFoundException for an unknown one. */
async function adminUser(services: Services, req: Request) {
  const pool = services.pools.pool(req.UserPoolId);
  const name = username(req);
  const user = await pool.findUser(name);
  if (!user) throw userNotFound();
  return { pool, name, user };
}

/** A temporary password the pool's policy accepts. */
function temporaryPassword(pool: Pool) {
  const letters = "abcdefghijkmnopqrstuvwxyz";
  const pick = (set: string) => set.charAt(randomInt(set.length));
  const base = [pick(letters.toUpperCase()), pick(letters), pick("23456789"), pick("!#%&*+-=?")];
  while (base.length < Math.max(pool.spec.passwordPolicy.minimumLength, 12))
    base.push(pick(`${letters}23456789`));
  return base.join("");
}

async function update(
  services: Services,
  pool: Pool,
  user: StoredUser,
  change: (u: StoredUser) => StoredUser,
) {
  const next = { ...change(user), modifiedAt: nowMs(services) };
  await pool.save(user, next);
  return next;
}

export const adminOperations = {
  async AdminCreateUser(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const name = username(req);
    const given = attributeRecord(req.UserAttributes, "userAttributes");
    checkWrite(pool.spec, given, "admin-create");
    if (req.MessageAction === "RESEND") {
      const existing = await pool.findUser(name);
      if (!existing) throw userNotFound();
      if (existing.status !== "FORCE_CHANGE_PASSWORD") {
        throw new CognitoError(
          "UnsupportedUserStateException",
          "Resend not possible. User is not in FORCE_CHANGE_PASSWORD state.",
        );
      }
    }
    if (req.TemporaryPassword !== undefined) {
      assertPasswordAllowed(pool.spec.passwordPolicy, req.TemporaryPassword, "temporaryPassword");
    }
    const identity = newIdentity(pool, name, given);
    checkRequired(pool.spec, identity.attributes);
    await preSignUp(services, pool, "PreSignUp_AdminCreateUser", {
      username: identity.username,
      attributes: identity.attributes,
      validationData: validationData(req),
      clientMetadata: clientMetadata(req),
      clientId: undefined,
    });
    const now = nowMs(services);
    const password =
      typeof req.TemporaryPassword === "string" ? req.TemporaryPassword : temporaryPassword(pool);
    const user: StoredUser = {
      username: identity.username,
      attributes: identity.attributes,
      status: "FORCE_CHANGE_PASSWORD",
      enabled: true,
      createdAt: now,
      modifiedAt: now,
      password: storedPassword(pool, identity.username, password, now),
    };
    await serialUser(pool, name, async () => {
      try {
        await pool.create(user);
      } catch (error) {
        throw existsError(error, true);
      }
    });
    if (req.MessageAction !== "SUPPRESS") {
      const mediums = Array.isArray(req.DesiredDeliveryMediums)
        ? req.DesiredDeliveryMediums
        : ["SMS"];
      const email = user.attributes.email;
      const phone = user.attributes.phone_number;
      if (email && (mediums.includes("EMAIL") || !phone)) {
        services.mailbox.record({ to: email, kind: "temporary-password", code: password });
      } else if (phone) {
        services.mailbox.record({ to: phone, kind: "temporary-password", code: password });
      }
    }
    return { User: userType(user) };
  },

  async AdminGetUser(services: Services, req: Request) {
    const { user } = await adminUser(services, req);
    return {
      Username: user.username,
      UserAttributes: attributeList(user.attributes),
      UserCreateDate: apiDate(user.createdAt),
      UserLastModifiedDate: apiDate(user.modifiedAt),
      Enabled: user.enabled,
      UserStatus: user.status,
      ...mfaSettings(user),
    };
  },

  async AdminDeleteUser(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    await revokeAllOf(services, pool, user.username);
    await pool.delete(user);
    return {};
  },

  async AdminConfirmSignUp(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const name = username(req);
    return serialUser(pool, name, async () => {
      const user = await pool.findUser(name);
      if (!user) throw userNotFound();
      if (user.status !== "UNCONFIRMED") {
        throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
      }
      // An administrator's confirmation verifies no address (signing-up-users-in-your-app).
      const confirmed = await update(services, pool, user, (u) => ({ ...u, status: "CONFIRMED" }));
      await postConfirmation(
        services,
        pool,
        confirmed,
        "PostConfirmation_ConfirmSignUp",
        undefined,
        clientMetadata(req),
      );
      return {};
    });
  },

  async AdminUpdateUserAttributes(services: Services, req: Request) {
    const { pool, name } = await adminUser(services, req);
    const changes = attributeRecord(req.UserAttributes, "userAttributes");
    checkWrite(pool.spec, changes, "admin-update");
    return serialUser(pool, name, async () => {
      const user = await pool.findUser(name);
      if (!user) throw userNotFound();
      await applyAttributeChanges(services, pool, user, changes, true);
      return {};
    });
  },

  async AdminDeleteUserAttributes(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    const names = Array.isArray(req.UserAttributeNames) ? req.UserAttributeNames.map(String) : [];
    for (const attribute of names) {
      if (attribute === "sub" || pool.spec.schema.some((s) => s.name === attribute && s.required)) {
        throw invalidParameter(`Cannot delete the required attribute ${attribute}`);
      }
    }
    await update(services, pool, user, (u) => {
      const attributes = { ...u.attributes };
      for (const attribute of names) delete attributes[attribute];
      return { ...u, attributes };
    });
    return {};
  },

  async AdminSetUserPassword(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    assertPasswordAllowed(pool.spec.passwordPolicy, req.Password);
    const now = nowMs(services);
    await update(services, pool, user, (u) => ({
      ...u,
      password: storedPassword(pool, u.username, req.Password as string, now),
      status: req.Permanent === true ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
    }));
    return {};
  },

  async AdminResetUserPassword(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    const reset = await update(services, pool, user, (u) => ({ ...u, status: "RESET_REQUIRED" }));
    const destination = codeDestination(pool, reset);
    if (destination)
      await sendCode(services, pool, reset, "forgot-password", destination, "forgot-password");
    return {};
  },

  async AdminDisableUser(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    await update(services, pool, user, (u) => ({ ...u, enabled: false }));
    // AdminDisableUser also revokes the user's tokens (its API reference).
    await revokeAllOf(services, pool, user.username);
    return {};
  },

  async AdminEnableUser(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    await update(services, pool, user, (u) => ({ ...u, enabled: true }));
    return {};
  },

  async AdminUserGlobalSignOut(services: Services, req: Request) {
    const { pool, user } = await adminUser(services, req);
    await revokeAllOf(services, pool, user.username);
    return {};
  },
};
