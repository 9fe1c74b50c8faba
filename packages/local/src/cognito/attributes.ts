import type { SchemaAttribute, UserPoolClientSpec, UserPoolSpec } from "../spec";
import { invalidParameter, unauthorizedAttribute } from "./errors";

/** Cognito's standard attributes (OpenID Connect's, plus the verified flags and `sub`). */
const STANDARD = [
  "address",
  "birthdate",
  "email",
  "email_verified",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "phone_number_verified",
  "picture",
  "preferred_username",
  "profile",
  "sub",
  "updated_at",
  "website",
  "zoneinfo",
];

/** Set by the pool, never by an app client: `sub` and the flags a verification sets. */
const POOL_WRITTEN = new Set(["sub", "email_verified", "phone_number_verified"]);
const MAX_VALUE_LENGTH = 2048;

export type WriteMode = "client-create" | "client-update" | "admin-create" | "admin-update";

/** The pool's schema: the standard attributes with the pool's overrides, and its custom ones. */
export function schemaOf(pool: UserPoolSpec): Map<string, SchemaAttribute> {
  const schema = new Map<string, SchemaAttribute>();
  for (const name of STANDARD) {
    schema.set(name, {
      name,
      dataType: name.endsWith("_verified")
        ? "Boolean"
        : name === "updated_at"
          ? "Number"
          : "String",
      mutable: name !== "sub",
      required: name === "sub",
      developerOnly: false,
    });
  }
  for (const attribute of pool.schema) schema.set(attribute.name, attribute);
  return schema;
}

const schemaError = (name: string, reason: string) =>
  invalidParameter(`Attributes did not conform to the schema: ${name}: ${reason}`);

function clientMayWrite(client: UserPoolClientSpec, attribute: SchemaAttribute) {
  if (POOL_WRITTEN.has(attribute.name) || attribute.developerOnly) return false;
  return client.writeAttributes ? client.writeAttributes.includes(attribute.name) : true;
}

/** Whether an app client may read an attribute (ReadAttributes; `sub` always). */
export function clientMayRead(client: UserPoolClientSpec, name: string) {
  if (name === "sub") return true;
  return client.readAttributes ? client.readAttributes.includes(name) : true;
}

function checkValue(attribute: SchemaAttribute, value: string) {
  const { name } = attribute;
  if (value.length > MAX_VALUE_LENGTH) {
    throw schemaError(name, `String must be no longer than ${MAX_VALUE_LENGTH} characters`);
  }
  if (name === "email" && !/^[^\s@]+@[^\s@]+$/u.test(value)) {
    throw invalidParameter("Invalid email address format.");
  }
  if (name === "phone_number" && !/^\+[0-9]{4,15}$/.test(value)) {
    throw invalidParameter("Invalid phone number format.");
  }
  if (attribute.dataType === "Boolean" && value !== "true" && value !== "false") {
    throw schemaError(name, "Attribute must be a Boolean value");
  }
  if (attribute.dataType === "Number") {
    const number = Number(value);
    if (value.trim() === "" || !Number.isFinite(number)) {
      throw schemaError(name, "Number attribute value must be a number");
    }
    const { minValue, maxValue } = attribute.numberConstraints ?? {};
    if (minValue !== undefined && number < minValue) {
      throw schemaError(name, `Number must be greater than or equal to ${minValue}`);
    }
    if (maxValue !== undefined && number > maxValue) {
      throw schemaError(name, `Number must be less than or equal to ${maxValue}`);
    }
  }
  if (attribute.dataType === "String") {
    const { minLength, maxLength } = attribute.stringConstraints ?? {};
    const length = [...value].length;
    if (minLength !== undefined && length < minLength) {
      throw schemaError(name, `String must be at least ${minLength} characters`);
    }
    if (maxLength !== undefined && length > maxLength) {
      throw schemaError(name, `String must be no longer than ${maxLength} characters`);
    }
  }
}

/**
 * Checks attributes someone wants written, as Cognito does: an app client
 * (SignUp, UpdateUserAttributes) writes only what its WriteAttributes allow
 * and never `sub` or the verified flags (NotAuthorizedException); anyone
 * writes only attributes of the pool's schema, with values its constraints
 * accept, and changes a non-mutable one only when the user is created.
 */
export function checkWrite(
  pool: UserPoolSpec,
  attributes: Record<string, string>,
  mode: WriteMode,
  client?: UserPoolClientSpec,
) {
  const schema = schemaOf(pool);
  for (const [name, value] of Object.entries(attributes)) {
    const attribute = schema.get(name);
    if (mode.startsWith("client")) {
      const cognitosOwn = name.startsWith("cognito:");
      if (
        !client ||
        cognitosOwn ||
        (client.writeAttributes && !client.writeAttributes.includes(name))
      ) {
        throw unauthorizedAttribute();
      }
      if (attribute && !clientMayWrite(client, attribute)) throw unauthorizedAttribute();
    }
    if (!attribute) throw schemaError(name, "Attribute does not exist in the schema.\n");
    if (name === "sub" || (!attribute.mutable && mode.endsWith("update"))) {
      throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    }
    checkValue(attribute, value);
  }
}

/** A new user must have every required attribute of the schema. */
export function checkRequired(pool: UserPoolSpec, attributes: Record<string, string>) {
  for (const attribute of schemaOf(pool).values()) {
    if (attribute.required && attribute.name !== "sub" && !attributes[attribute.name]) {
      throw schemaError(attribute.name, "The attribute is required");
    }
  }
}

/** `[{Name, Value}]` as the API sends it, as a record; refuses what is not that shape. */
export function attributeRecord(list: unknown, field: string): Record<string, string> {
  if (list === undefined || list === null) return {};
  if (!Array.isArray(list)) throw invalidParameter(`${field} must be a list of attributes.`);
  const record: Record<string, string> = Object.create(null);
  for (const item of list) {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== "string" || Name === "") {
      throw invalidParameter(
        `1 validation error detected: Value at '${field}.member.name' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (Value !== undefined && Value !== null && typeof Value !== "string") {
      throw invalidParameter(`${field}: the value of ${Name} must be a string.`);
    }
    record[Name] = typeof Value === "string" ? Value : "";
  }
  return { ...record };
}
