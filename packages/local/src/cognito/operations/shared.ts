import { randomUUID } from "node:crypto";
import type { MailKind } from "../../mailbox";
import { assertMaySendCode, type CodePurpose, delivery, newCode, withNewCode } from "../codes";
import { nowMs, type Services } from "../context";
import { CognitoError, invalidParameter } from "../errors";
import { IndexConflict, type Pool } from "../pool";
import { keyedQueue } from "../serial";
import type { StoredUser } from "../user";

/** Calls that change one user run one after another (per pool and name, case as the pool has it). */
const queue = keyedQueue();
export const serialUser = <T>(pool: Pool, name: string, task: () => Promise<T>) =>
  queue(`${pool.id}\u0000${pool.fold(name)}`, task);

const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+$/u.test(value);
const looksLikePhone = (value: string) => /^\+[0-9]{4,15}$/.test(value);

/**
 * The stored username and attributes of a new user. In a pool whose
 * usernames are emails (or phone numbers) the name given must be one: it
 * becomes the `email` (or `phone_number`) attribute, a different value sent
 * beside it is refused, and the username is the new `sub`. In other pools a
 * name shaped like an alias attribute is refused, so that one address never
 * names two accounts.
 */
export function newIdentity(pool: Pool, name: string, given: Record<string, string>) {
  const attributes = { ...given };
  const sub = randomUUID();
  const { usernameAttributes, aliasAttributes } = pool.spec;
  if (usernameAttributes.length > 0) {
    const attribute =
      usernameAttributes.includes("email") && looksLikeEmail(name)
        ? "email"
        : usernameAttributes.includes("phone_number") && looksLikePhone(name)
          ? "phone_number"
          : undefined;
    if (!attribute) {
      throw invalidParameter(
        usernameAttributes.length === 2
          ? "Username should be either an email or a phone number."
          : usernameAttributes[0] === "email"
            ? "Username should be an email."
            : "Username should be a phone number.",
      );
    }
    const sent = attributes[attribute];
    if (sent !== undefined && sent !== "" && pool.fold(sent) !== pool.fold(name)) {
      throw invalidParameter(
        `User ${attribute === "email" ? "email" : "phone number"} should be empty or same as username, since username attribute is ${attribute}.`,
      );
    }
    attributes[attribute] = name;
    return { username: sub, attributes: { ...attributes, sub } as Record<string, string> };
  }
  if (aliasAttributes.includes("email") && looksLikeEmail(name)) {
    throw invalidParameter(
      "Username cannot be of email format, since user pool is configured for email alias.",
    );
  }
  if (aliasAttributes.includes("phone_number") && looksLikePhone(name)) {
    throw invalidParameter(
      "Username cannot be of phone number format, since user pool is configured for phone number alias.",
    );
  }
  return { username: name, attributes: { ...attributes, sub } as Record<string, string> };
}

/** What Cognito answers when a new user's sign-in attribute is taken. */
export function existsError(error: unknown, creating: boolean): unknown {
  if (!(error instanceof IndexConflict)) return error;
  const what = error.attribute === "phone_number" ? "phone_number" : error.attribute;
  const message = `An account with the given ${what} already exists.`;
  return new CognitoError(creating ? "UsernameExistsException" : "AliasExistsException", message);
}

/** Where a code for the user goes: the pool's auto-verified attribute it has (email first). */
export function codeDestination(pool: Pool, user: StoredUser) {
  for (const attribute of ["email", "phone_number"] as const) {
    const value = user.attributes[attribute];
    if (value && pool.spec.autoVerifiedAttributes.includes(attribute)) return { attribute, value };
  }
  return undefined;
}

/**
 * Sends a code of a purpose to an attribute's address (the local mailbox),
 * after the user's new code is stored; the earlier code of that purpose
 * stops working. Returns the masked CodeDeliveryDetails.
 */
export async function sendCode(
  services: Services,
  pool: Pool,
  user: StoredUser,
  purpose: CodePurpose,
  to: { attribute: "email" | "phone_number"; value: string },
  kind: MailKind,
) {
  const at = nowMs(services);
  assertMaySendCode(user, purpose, at);
  const code = newCode();
  const next = { ...withNewCode(user, purpose, code, at), modifiedAt: at };
  await pool.save(user, next);
  services.mailbox.record({ to: to.value, kind, code });
  return { details: delivery(to.attribute, to.value), user: next };
}
