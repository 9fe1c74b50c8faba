import { nowMs, type Services } from "../context";
import type { Pool } from "../pool";
import type { StoredUser } from "../user";
import { existsError, sendCode } from "./shared";

/**
 * Writes changed attributes (already checked against the schema and the
 * caller's rights). A new email or phone number is unverified until its
 * code is entered, unless an administrator marks it verified in the same
 * call; when the pool verifies that attribute, a code goes out. Another
 * user's email or phone number is refused (AliasExistsException).
 *
 * With AttributesRequireVerificationBeforeUpdate, a change to a verified email (or phone
 * number) waits for its code: the old value stays, verified and usable to sign in, and the
 * new one becomes the attribute only when VerifyUserAttribute proves it.
 */
export async function applyAttributeChanges(
  services: Services,
  pool: Pool,
  user: StoredUser,
  changes: Record<string, string>,
  admin: boolean,
) {
  const attributes = { ...user.attributes, ...changes };
  const pending = { ...user.pendingAttributes };
  const toVerify: { attribute: "email" | "phone_number"; value: string }[] = [];
  for (const attribute of ["email", "phone_number"] as const) {
    const value = changes[attribute];
    if (value === undefined || value === user.attributes[attribute]) {
      if (value !== undefined) delete pending[attribute];
      continue;
    }
    if (admin && changes[`${attribute}_verified`] === "true") {
      delete pending[attribute];
      continue;
    }
    const verifies = value !== "" && pool.spec.autoVerifiedAttributes.includes(attribute);
    const waits =
      verifies &&
      pool.spec.attributesRequireVerificationBeforeUpdate.includes(attribute) &&
      user.attributes[`${attribute}_verified`] === "true";
    if (waits) {
      attributes[attribute] = user.attributes[attribute] as string;
      attributes[`${attribute}_verified`] = "true";
      pending[attribute] = value;
    } else {
      attributes[`${attribute}_verified`] = "false";
      delete pending[attribute];
    }
    if (verifies) toVerify.push({ attribute, value });
  }
  const { pendingAttributes: _, ...rest } = user;
  const next: StoredUser = {
    ...rest,
    attributes,
    ...(Object.keys(pending).length ? { pendingAttributes: pending } : {}),
    modifiedAt: nowMs(services),
  };
  try {
    await pool.save(user, next);
  } catch (error) {
    throw existsError(error, false);
  }
  const details = [];
  let current = next;
  for (const { attribute, value } of toVerify) {
    const sent = await sendCode(
      services,
      pool,
      current,
      `verify-${attribute}`,
      { attribute, value },
      "verify-attribute",
    );
    current = sent.user;
    details.push(sent.details);
  }
  return details;
}
