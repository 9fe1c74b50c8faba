import { attributeRecord, checkWrite, clientMayRead } from "../attributes";
import { type CodePurpose, checkCode } from "../codes";
import { nowMs, type Services } from "../context";
import { incorrectCredentials, invalidParameter, missing } from "../errors";
import { type Request, requiredString } from "../input";
import { passwordAttempt } from "../lockout";
import { assertPasswordAllowed } from "../password-policy";
import { passwordMatches, storedPassword } from "../passwords";
import { revokeAllOf, revokeToken, verifyAccessToken } from "../tokens";
import { attributeList } from "../user";
import { applyAttributeChanges } from "./attribute-changes";
import { mfaSettings } from "./mfa";
import { existsError, sendCode, serialUser } from "./shared";

const verifiable = (name: unknown): "email" | "phone_number" => {
  if (name === "email" || name === "phone_number") return name;
  throw invalidParameter(
    `Cannot verify attribute ${String(name)}: only email and phone_number are verified.`,
  );
};

/** The operations a signed-in user calls with an access token. */
export const selfServiceOperations = {
  async GetUser(services: Services, req: Request) {
    const { user, client } = await verifyAccessToken(services, req.AccessToken);
    const readable = new Set(
      Object.keys(user.attributes).filter((name) => clientMayRead(client, name)),
    );
    return {
      Username: user.username,
      UserAttributes: attributeList(user.attributes, readable),
      ...mfaSettings(user),
    };
  },

  async UpdateUserAttributes(services: Services, req: Request) {
    const { pool, client, user } = await verifyAccessToken(services, req.AccessToken);
    const changes = attributeRecord(req.UserAttributes, "userAttributes");
    checkWrite(pool.spec, changes, "client-update", client);
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const details = await applyAttributeChanges(services, pool, current, changes, false);
      return { CodeDeliveryDetailsList: details };
    });
  },

  async DeleteUserAttributes(services: Services, req: Request) {
    const { pool, client, user } = await verifyAccessToken(services, req.AccessToken);
    const names = Array.isArray(req.UserAttributeNames) ? req.UserAttributeNames.map(String) : [];
    checkWrite(pool.spec, Object.fromEntries(names.map((n) => [n, ""])), "client-update", client);
    const attributes = { ...user.attributes };
    for (const name of names) delete attributes[name];
    await pool.save(user, { ...user, attributes, modifiedAt: nowMs(services) });
    return {};
  },

  async GetUserAttributeVerificationCode(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    const attribute = verifiable(requiredString(req, "AttributeName", "attributeName"));
    // A change waiting for verification gets its code at the new address.
    const value = user.pendingAttributes?.[attribute] ?? user.attributes[attribute];
    if (!value) throw invalidParameter(`User has no attribute ${attribute}`);
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const purpose: CodePurpose = `verify-${attribute}`;
      const sent = await sendCode(
        services,
        pool,
        current,
        purpose,
        { attribute, value },
        "verify-attribute",
      );
      return { CodeDeliveryDetails: sent.details };
    });
  },

  async VerifyUserAttribute(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    const attribute = verifiable(requiredString(req, "AttributeName", "attributeName"));
    if (req.Code === undefined) throw missing("code");
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const check = checkCode(current, `verify-${attribute}`, req.Code, nowMs(services));
      if (!check.ok) {
        if (check.user) await pool.save(current, check.user);
        throw check.error;
      }
      const { [attribute]: waiting, ...stillPending } = current.pendingAttributes ?? {};
      const { pendingAttributes: _, ...verifiedUser } = check.user;
      const verified = {
        ...verifiedUser,
        attributes: {
          ...current.attributes,
          ...(waiting ? { [attribute]: waiting } : {}),
          [`${attribute}_verified`]: "true",
        },
        ...(Object.keys(stillPending).length ? { pendingAttributes: stillPending } : {}),
        modifiedAt: nowMs(services),
      };
      try {
        await pool.save(current, verified);
      } catch (error) {
        throw existsError(error, false);
      }
      return {};
    });
  },

  async ChangePassword(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    assertPasswordAllowed(pool.spec.passwordPolicy, req.ProposedPassword, "proposedPassword");
    const previous = requiredString(req, "PreviousPassword", "previousPassword");
    return serialUser(pool, user.username, async () => {
      const current = (await pool.getUser(user.username)) ?? user;
      const now = nowMs(services);
      const attempt = passwordAttempt(current, () => passwordMatches(pool, current, previous), now);
      if (attempt.error) {
        if (attempt.user) await pool.save(current, attempt.user);
        throw attempt.error.message === "Password attempts exceeded"
          ? attempt.error
          : incorrectCredentials();
      }
      const base = attempt.user ?? current;
      await pool.save(current, {
        ...base,
        password: storedPassword(pool, current.username, req.ProposedPassword as string, now),
        modifiedAt: now,
      });
      return {};
    });
  },

  async DeleteUser(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    await revokeAllOf(services, pool, user.username);
    await pool.delete(user);
    return {};
  },

  async GlobalSignOut(services: Services, req: Request) {
    const { pool, user } = await verifyAccessToken(services, req.AccessToken);
    await revokeAllOf(services, pool, user.username);
    return {};
  },

  async RevokeToken(services: Services, req: Request) {
    const token = requiredString(req, "Token", "token");
    const { pool, client } = services.pools.client(requiredString(req, "ClientId", "clientId"));
    await revokeToken(services, pool, client, token);
    return {};
  },
};
