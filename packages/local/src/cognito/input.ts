import { createHmac, timingSafeEqual } from "node:crypto";
import type { UserPoolClientSpec } from "../spec";
import { attributeRecord } from "./attributes";
import { invalidParameter, missing, notAuthorized, validationError } from "./errors";

export type Request = Record<string, unknown>;

/** A string field, if present; anything else than a string is refused. */
export function optionalString(req: Request, name: string): string | undefined {
  const value = req[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(`${name} must be a string.`);
  return value;
}

/** A required string field; `field` is how AWS's validation message names it. */
export function requiredString(req: Request, name: string, field = lowerFirst(name)): string {
  const value = optionalString(req, name);
  if (value === undefined || value === "") throw missing(field);
  return value;
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The API's pattern for user names: no white space, no control characters. */
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

/** `Username` as SignUp, AdminCreateUser and the calls that name a user take it. */
export function username(req: Request): string {
  const value = requiredString(req, "Username", "username");
  if (value.length > 128) {
    throw validationError("username", "Member must have length less than or equal to 128");
  }
  if (!USERNAME.test(value)) {
    throw validationError(
      "username",
      "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  }
  return value;
}

/** ClientMetadata: a map of strings, or undefined. */
export function clientMetadata(req: Request): Record<string, string> | undefined {
  const value = req.ClientMetadata;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw invalidParameter("ClientMetadata must be a map of strings.");
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.some(([, v]) => typeof v !== "string")) {
    throw invalidParameter("ClientMetadata must be a map of strings.");
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** ValidationData ([{Name, Value}]) as a record, or undefined. */
export function validationData(req: Request): Record<string, string> | undefined {
  return req.ValidationData === undefined
    ? undefined
    : attributeRecord(req.ValidationData, "validationData");
}

/**
 * A client with a secret needs SECRET_HASH = Base64(HMAC-SHA256(secret,
 * username ‖ clientId)) on every call that names a user.
 */
export function checkSecretHash(client: UserPoolClientSpec, name: string, given: unknown) {
  if (!client.secret) return;
  if (typeof given !== "string" || given === "") {
    throw notAuthorized(`Client ${client.id} is configured for secret but secret was not received`);
  }
  const expected = createHmac("sha256", client.secret)
    .update(name + client.id)
    .digest();
  const actual = Buffer.from(given, "base64");
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw notAuthorized(`Unable to verify secret hash for client ${client.id}`);
  }
}
