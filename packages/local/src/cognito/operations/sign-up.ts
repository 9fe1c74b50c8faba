import { attributeRecord, checkRequired, checkWrite } from "../attributes";
import { checkCode, codeMismatch, delivery, emailDelivery, newCode, withNewCode } from "../codes";
import { nowMs, type Services } from "../context";
import { invalidParameter, notAuthorized, userNotFound } from "../errors";
import { signUpSessions } from "../flows/user-auth-sessions";
import {
  checkSecretHash,
  clientMetadata,
  type Request,
  requiredString,
  username,
  validationData,
} from "../input";
import { assertPasswordAllowed } from "../password-policy";
import { storedPassword } from "../passwords";
import type { Pool } from "../pool";
import { postConfirmation } from "../post-confirmation";
import { preSignUp } from "../pre-sign-up";
import type { StoredUser } from "../user";
import { codeDestination, existsError, newIdentity, sendCode, serialUser } from "./shared";

/** The client and the user a public call names; `hide` when unknown users must not be revealed. */
async function lookup(services: Services, req: Request) {
  const { pool, client } = services.pools.client(req.ClientId);
  const name = username(req);
  checkSecretHash(client, name, req.SecretHash);
  const user = await pool.findUser(name);
  return { pool, client, name, user, hide: client.preventUserExistenceErrors === "ENABLED" };
}

/** Saves the user, then runs Post confirmation as Cognito does: after the change stands. */
async function saveThenConfirm(
  services: Services,
  pool: Pool,
  before: StoredUser,
  after: StoredUser,
  source: "PostConfirmation_ConfirmSignUp" | "PostConfirmation_ConfirmForgotPassword",
  clientId: string | undefined,
  metadata: Record<string, string> | undefined,
) {
  await pool.save(before, after);
  await postConfirmation(services, pool, after, source, clientId, metadata);
}

/** Where a reset code can go: a verified address the pool's AccountRecoverySetting names. */
function recoveryDestination(pool: Pool, user: StoredUser) {
  const mechanisms = [...pool.spec.accountRecovery].sort((a, b) => a.priority - b.priority);
  const order =
    mechanisms.length > 0
      ? mechanisms.map((m) => m.name)
      : ["verified_email", "verified_phone_number"];
  for (const mechanism of order) {
    const attribute =
      mechanism === "verified_email"
        ? ("email" as const)
        : mechanism === "verified_phone_number"
          ? ("phone_number" as const)
          : undefined;
    const value = attribute ? user.attributes[attribute] : undefined;
    if (attribute && value && user.attributes[`${attribute}_verified`] === "true")
      return { attribute, value };
  }
  return undefined;
}

export const signUpOperations = {
  async SignUp(services: Services, req: Request) {
    const { pool, client } = services.pools.client(req.ClientId);
    const name = username(req);
    checkSecretHash(client, name, req.SecretHash);
    assertPasswordAllowed(pool.spec.passwordPolicy, req.Password);
    if (pool.spec.allowAdminCreateUserOnly) {
      throw notAuthorized("SignUp is not permitted for this user pool");
    }
    const given = attributeRecord(req.UserAttributes, "userAttributes");
    checkWrite(pool.spec, given, "client-create", client);
    const identity = newIdentity(pool, name, given);
    checkRequired(pool.spec, identity.attributes);
    const metadata = clientMetadata(req);
    const outcome = await preSignUp(services, pool, "PreSignUp_SignUp", {
      username: identity.username,
      attributes: identity.attributes,
      validationData: validationData(req),
      clientMetadata: metadata,
      clientId: client.id,
    });
    const now = nowMs(services);
    const attributes = { ...identity.attributes };
    for (const attribute of ["email", "phone_number"] as const) {
      if (attributes[attribute]) {
        const auto = attribute === "email" ? outcome.autoVerifyEmail : outcome.autoVerifyPhone;
        attributes[`${attribute}_verified`] = auto ? "true" : "false";
      }
    }
    const user: StoredUser = {
      username: identity.username,
      attributes,
      status: outcome.autoConfirmUser ? "CONFIRMED" : "UNCONFIRMED",
      enabled: true,
      createdAt: now,
      modifiedAt: now,
      password: storedPassword(pool, identity.username, req.Password as string, now),
    };
    const destination = outcome.autoConfirmUser ? undefined : codeDestination(pool, user);
    const code = destination ? newCode() : undefined;
    const stored = code ? withNewCode(user, "signup", code, now) : user;
    return serialUser(pool, name, async () => {
      try {
        await pool.create(stored);
      } catch (error) {
        throw existsError(error, true);
      }
      const result = { UserConfirmed: outcome.autoConfirmUser, UserSub: attributes.sub };
      if (outcome.autoConfirmUser) {
        await postConfirmation(
          services,
          pool,
          user,
          "PostConfirmation_ConfirmSignUp",
          client.id,
          metadata,
        );
        return result;
      }
      if (!destination || !code) return result;
      services.mailbox.record({ to: destination.value, kind: "signup", code });
      return { ...result, CodeDeliveryDetails: delivery(destination.attribute, destination.value) };
    });
  },

  async ConfirmSignUp(services: Services, req: Request) {
    const { pool, client, name, hide } = await lookup(services, req);
    return serialUser(pool, name, async () => {
      const user = await pool.findUser(name);
      if (!user) throw hide ? codeMismatch() : userNotFound();
      if (user.status !== "UNCONFIRMED") {
        throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
      }
      const at = nowMs(services);
      const check = checkCode(user, "signup", req.ConfirmationCode, at);
      if (!check.ok) {
        if (check.user) await pool.save(user, check.user);
        throw check.error;
      }
      // Entering the code proves the address it went to: the one place that attribute becomes verified.
      const destination = codeDestination(pool, user);
      const confirmed: StoredUser = {
        ...check.user,
        status: "CONFIRMED",
        attributes: destination
          ? { ...user.attributes, [`${destination.attribute}_verified`]: "true" }
          : user.attributes,
        modifiedAt: at,
      };
      try {
        await saveThenConfirm(
          services,
          pool,
          user,
          confirmed,
          "PostConfirmation_ConfirmSignUp",
          client.id,
          clientMetadata(req),
        );
      } catch (error) {
        throw existsError(error, false);
      }
      return {
        Session: signUpSessions.open(services, pool.id, client, { username: user.username }),
      };
    });
  },

  async ResendConfirmationCode(services: Services, req: Request) {
    const { pool, name, user, hide } = await lookup(services, req);
    if (!user?.enabled) {
      if (!hide) throw user ? notAuthorized("User is disabled.") : userNotFound();
      return { CodeDeliveryDetails: emailDelivery(name) };
    }
    return serialUser(pool, name, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      if (current.status !== "UNCONFIRMED") throw invalidParameter("User is already confirmed.");
      const destination = codeDestination(pool, current);
      if (!destination) {
        throw invalidParameter(
          "Cannot resend codes. Auto verification not turned on or no email address for the user.",
        );
      }
      const sent = await sendCode(services, pool, current, "signup", destination, "resend");
      return { CodeDeliveryDetails: sent.details };
    });
  },

  async ForgotPassword(services: Services, req: Request) {
    const { pool, name, user, hide } = await lookup(services, req);
    if (!user?.enabled) {
      if (!hide) throw user ? notAuthorized("User is disabled.") : userNotFound();
      return { CodeDeliveryDetails: emailDelivery(name) };
    }
    return serialUser(pool, name, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const destination = recoveryDestination(pool, current);
      if (!destination) {
        throw invalidParameter(
          "Cannot reset password for the user as there is no registered/verified email or phone_number",
        );
      }
      const sent = await sendCode(
        services,
        pool,
        current,
        "forgot-password",
        destination,
        "forgot-password",
      );
      return { CodeDeliveryDetails: sent.details };
    });
  },

  async ConfirmForgotPassword(services: Services, req: Request) {
    const { pool, client, name, hide } = await lookup(services, req);
    assertPasswordAllowed(pool.spec.passwordPolicy, req.Password);
    requiredString(req, "ConfirmationCode", "confirmationCode");
    return serialUser(pool, name, async () => {
      const user = await pool.findUser(name);
      if (!user?.enabled) throw hide ? codeMismatch() : userNotFound();
      const at = nowMs(services);
      const check = checkCode(user, "forgot-password", req.ConfirmationCode, at);
      if (!check.ok) {
        if (check.user) await pool.save(user, check.user);
        throw check.error;
      }
      const needsNewPassword =
        user.status === "RESET_REQUIRED" || user.status === "FORCE_CHANGE_PASSWORD";
      const reset: StoredUser = {
        ...check.user,
        password: storedPassword(pool, user.username, req.Password as string, at),
        status: needsNewPassword ? "CONFIRMED" : user.status,
        modifiedAt: at,
      };
      await saveThenConfirm(
        services,
        pool,
        user,
        reset,
        "PostConfirmation_ConfirmForgotPassword",
        client.id,
        clientMetadata(req),
      );
      return {};
    });
  },
};
