import type { Services } from "../context";
import { CognitoError, invalidParameter, validationError } from "../errors";
import { optionalString, type Request } from "../input";
import type { Pool } from "../pool";
import { key } from "../store";
import { type StoredUser, userType } from "../user";

/** ListUsers returns at most 60 users a call (API_ListUsers: Limit, 0–60). */
const MAX_LIMIT = 60;

/** The attributes ListUsers can filter on (API_ListUsers); custom attributes are not searchable. */
const SEARCHABLE = new Set([
  "username",
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
  "cognito:user_status",
  "status",
  "sub",
]);

interface Filter {
  attribute: string;
  prefix: boolean;
  value: string;
}

/** `AttributeName Filter-Type "AttributeValue"`, with `=` or `^=` and backslash escapes. */
function parseFilter(filter: string | undefined): Filter | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!match) throw invalidParameter("Error while parsing filter.");
  const [, attribute = "", operator, raw = ""] = match;
  if (!SEARCHABLE.has(attribute)) throw invalidParameter("Invalid search attribute");
  return { attribute, prefix: operator === "^=", value: raw.replace(/\\(.)/g, "$1") };
}

/**
 * Whether a user matches. `username` and `status` (Enabled / Disabled)
 * compare case-sensitively, `cognito:user_status` ignores case, as the
 * reference says; the other attributes follow the pool's case setting.
 */
function matches(pool: Pool, user: StoredUser, filter: Filter) {
  let actual: string | undefined;
  let exactCase = true;
  if (filter.attribute === "username") actual = user.username;
  else if (filter.attribute === "status") actual = user.enabled ? "Enabled" : "Disabled";
  else if (filter.attribute === "cognito:user_status") {
    actual = user.status;
    exactCase = false;
  } else {
    actual = user.attributes[filter.attribute];
    exactCase = pool.spec.usernameCaseSensitive;
  }
  if (actual === undefined) return false;
  const [a, v] = exactCase
    ? [actual, filter.value]
    : [actual.toLowerCase(), filter.value.toLowerCase()];
  return filter.prefix ? a.startsWith(v) : a === v;
}

const encodeToken = (after: string) => Buffer.from(JSON.stringify({ after })).toString("base64url");

function decodeToken(token: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      after?: unknown;
    };
    if (typeof after === "string") return after;
  } catch {}
  throw invalidParameter("Invalid pagination token.");
}

/**
 * ListUsers: pages in username order, at most `Limit` users a call; the
 * token names the last username returned, so users added or removed between
 * calls shift no one into or out of a later page. A filter on `sub`, or on an
 * email or phone number the pool signs in with, reads its index; any other
 * filter reads users in order until the page is full.
 */
async function listUsers(services: Services, req: Request) {
  const pool = services.pools.pool(req.UserPoolId);
  const limit = req.Limit ?? MAX_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw validationError(
      "limit",
      `Member must have value ${Number(limit) < 0 ? "greater than or equal to 0" : "less than or equal to 60"}`,
      String(req.Limit),
    );
  }
  const wanted = Array.isArray(req.AttributesToGet)
    ? new Set(req.AttributesToGet.map(String))
    : undefined;
  const token = optionalString(req, "PaginationToken");
  const after = token ? decodeToken(token) : undefined;
  const filter = parseFilter(optionalString(req, "Filter"));
  const size = limit || MAX_LIMIT;
  const found: StoredUser[] = [];
  let more = false;

  if (filter && !filter.prefix && filter.attribute === "username") {
    const user = await pool.getUser(filter.value);
    if (
      user &&
      user.username === filter.value &&
      (after === undefined || pool.fold(user.username) > after)
    )
      found.push(user);
  } else if (filter && pool.isIndexed(filter.attribute)) {
    const owners = (
      await pool.usersByIndex(filter.attribute as "sub", filter.value, !filter.prefix)
    ).sort();
    const userPrefix = key(pool.id, "u", "");
    const after_ = after === undefined ? undefined : userPrefix + after;
    const next = owners.filter((owner) => after_ === undefined || owner > after_);
    const users = await pool.store.getMany<StoredUser>(next.slice(0, size + 1));
    for (const user of users) if (user && matches(pool, user, filter)) found.push(user);
  } else {
    for await (const [, user] of pool.users(after)) {
      if (filter && !matches(pool, user, filter)) continue;
      found.push(user);
      if (found.length > size) break;
    }
  }
  if (found.length > size) {
    more = true;
    found.length = size;
  }
  const last = found.at(-1);
  return {
    Users: found.map((user) => userType(user, wanted)),
    ...(more && last ? { PaginationToken: encodeToken(pool.fold(last.username)) } : {}),
  };
}

export const listUsersOperations = {
  ListUsers: listUsers,
  async ListUsersInGroup(services: Services, req: Request) {
    const pool = services.pools.pool(req.UserPoolId);
    const group = optionalString(req, "GroupName") ?? "";
    if (!(await pool.getGroup(group)))
      throw new CognitoError("ResourceNotFoundException", "Group not found.");
    const users: StoredUser[] = [];
    for await (const [name] of pool.store.entries(key(pool.id, "gm", group))) {
      const user = await pool.getUser(name);
      if (user) users.push(user);
    }
    return { Users: users.map((user) => userType(user)) };
  },
};
