import { InvalidParameterError } from "cognito-local/lib/errors.js";
import type { Route, Router } from "cognito-local/lib/server/Router.js";

interface ListUsersRequest {
  UserPoolId: string;
  Limit?: number;
  PaginationToken?: string;
  AttributesToGet?: string[];
  Filter?: string;
}

interface ListedUser {
  Username?: string;
  Attributes?: { Name: string; Value?: string }[];
}

/** ListUsers returns at most 60 users a call (API_ListUsers: Limit, 0–60). */
const MAX_LIMIT = 60;

const encodeToken = (after: string) => Buffer.from(JSON.stringify({ after })).toString("base64url");

function decodeToken(token: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      after?: unknown;
    };
    if (typeof after === "string") return after;
  } catch {}
  throw new InvalidParameterError("Invalid pagination token.");
}

/**
 * cognito-local returns every user in one answer and ignores Limit,
 * PaginationToken and AttributesToGet. Cognito pages: at most `Limit` (60 by
 * default and at most) users a call, with a PaginationToken while more remain.
 * Pages follow the username order, and the token names the last username
 * returned, so users added or removed between calls shift no one into or out
 * of a later page.
 */
export function listUsersTarget(delegate: Router): Record<string, Route> {
  const ListUsers: Route = async (ctx, req: ListUsersRequest) => {
    const limit = req.Limit ?? MAX_LIMIT;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
      throw new InvalidParameterError(
        `1 validation error detected: Value '${req.Limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 0 ? "greater than or equal to 0" : "less than or equal to 60"}`,
      );
    }
    const after = req.PaginationToken ? decodeToken(req.PaginationToken) : undefined;
    const { Users = [] } = (await delegate("ListUsers")(ctx, {
      UserPoolId: req.UserPoolId,
      Filter: req.Filter,
    })) as { Users?: ListedUser[] };
    const ordered = Users.map((user) => ({ user, key: user.Username ?? "" }))
      .filter(({ key }) => after === undefined || key > after)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const page = ordered.slice(0, limit || MAX_LIMIT);
    const last = page.at(-1);
    const wanted = req.AttributesToGet ? new Set(req.AttributesToGet) : undefined;
    return {
      Users: page.map(({ user }) =>
        wanted
          ? { ...user, Attributes: (user.Attributes ?? []).filter((a) => wanted.has(a.Name)) }
          : user,
      ),
      ...(last && ordered.length > page.length ? { PaginationToken: encodeToken(last.key) } : {}),
    };
  };
  return { ListUsers };
}
