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
 */
export async function applyAttributeChanges(
  services: Services,
  pool: Pool,
  user: StoredUser,
  changes: Record<string, string>,
  admin: boolean,
) {
  const attributes = { ...user.attributes, ...changes };
  const toVerify: ("email" | "phone_number")[] = [];
  for (const attribute of ["email", "phone_number"] as const) {
    const value = changes[attribute];
    if (value === undefined || value === user.attributes[attribute]) continue;
    if (admin && changes[`${attribute}_verified`] === "true") continue;
    attributes[`${attribute}_verified`] = "false";
    if (value !== "" && pool.spec.autoVerifiedAttributes.includes(attribute))
      toVerify.push(attribute);
  }
  const next: StoredUser = { ...user, attributes, modifiedAt: nowMs(services) };
  try {
    await pool.save(user, next);
  } catch (error) {
    throw existsError(error, false);
  }
  const details = [];
  let current = next;
  for (const attribute of toVerify) {
    const value = attributes[attribute] as string;
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
