import type { HttpRouteSpec } from "../spec";

/**
 * Route keys and route selection, as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 * describes them: `METHOD /path` or `$default`; `{name}` takes one path segment, a greedy
 * `{name+}` (only at the end) one or more; `ANY` takes every method a route of the same
 * shape does not name; the most specific matching route wins.
 */

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
export const DEFAULT_ROUTE = "$default";

export type Segment =
  | { kind: "literal"; text: string }
  | { kind: "variable"; name: string }
  | { kind: "greedy"; name: string };

export interface Route {
  spec: HttpRouteSpec;
  /** `ANY`, a method, or null for `$default`. */
  method: string | null;
  /** The path as declared, e.g. `/items/{id}`; null for `$default`. */
  path: string | null;
  segments: Segment[];
}

export interface RouteMatch {
  route: Route;
  /** Absent when the route has no path variables (and for `$default`). */
  pathParameters?: Record<string, string>;
}

const VARIABLE = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/** The route a key declares, or why API Gateway would refuse the key. */
export function parseRoute(spec: HttpRouteSpec): Route | { problem: string } {
  const key = spec.routeKey;
  if (key === DEFAULT_ROUTE) return { spec, method: null, path: null, segments: [] };
  const match = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!match) return { problem: `route key "${key}" is not "METHOD /path" or "$default"` };
  const [, method = "", path = ""] = match;
  if (method !== "ANY" && !HTTP_METHODS.includes(method)) {
    return { problem: `route key "${key}" has an unknown method ${method}` };
  }
  if (path !== "/" && path.endsWith("/")) {
    return { problem: `route key "${key}": a route path cannot end with "/"` };
  }
  const segments: Segment[] = [];
  const names = new Set<string>();
  const parts = path === "/" ? [] : path.slice(1).split("/");
  for (const [index, part] of parts.entries()) {
    const variable = VARIABLE.exec(part);
    if (variable) {
      const [, name = "", plus] = variable;
      if (names.has(name)) return { problem: `route key "${key}" repeats the variable ${name}` };
      names.add(name);
      if (plus && index !== parts.length - 1) {
        return { problem: `route key "${key}": a greedy variable must end the path` };
      }
      segments.push(plus ? { kind: "greedy", name } : { kind: "variable", name });
    } else if (part === "" || /[{}]/.test(part)) {
      return { problem: `route key "${key}" has an invalid path segment "${part}"` };
    } else {
      segments.push({ kind: "literal", text: part });
    }
  }
  return { spec, method, path, segments };
}

/** Two keys that differ only in their variables' names are the same route to API Gateway. */
export function routeShape(route: Route): string {
  if (route.path === null) return DEFAULT_ROUTE;
  const shape = route.segments.map((segment) =>
    segment.kind === "literal" ? segment.text : segment.kind === "variable" ? "{}" : "{+}",
  );
  return `${route.method} /${shape.join("/")}`;
}

/**
 * The path variables if `route` matches `path` (already decoded). A trailing slash is
 * ignored (`/items/` reaches `GET /items`), and a greedy variable needs at least one segment.
 */
export function matchPath(route: Route, path: string): Record<string, string> | null {
  const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const parts = trimmed === "/" ? [] : trimmed.slice(1).split("/");
  // A Map first, so that a variable named `__proto__` is a plain key.
  const parameters = new Map<string, string>();
  for (const [index, segment] of route.segments.entries()) {
    const part = parts[index];
    if (segment.kind === "greedy") {
      const rest = parts.slice(index).join("/");
      if (rest === "") return null;
      parameters.set(segment.name, rest);
      return Object.fromEntries(parameters);
    }
    if (part === undefined || part === "") return null;
    if (segment.kind === "literal" && part !== segment.text) return null;
    if (segment.kind === "variable") parameters.set(segment.name, part);
  }
  return parts.length === route.segments.length ? Object.fromEntries(parameters) : null;
}

/** 0 for a full match, 1 for a greedy one, 2 for `$default`: the documented priorities. */
function tier(route: Route) {
  if (route.path === null) return 2;
  return route.segments.at(-1)?.kind === "greedy" ? 1 : 0;
}

const SEGMENT_RANK = { literal: 0, variable: 1, greedy: 2 } as const;

/**
 * Negative when `a` is more specific than `b` (both matching the same request): the tier
 * first; then, from the first segment on, a literal before a variable before a greedy
 * variable; then a named method before `ANY`.
 */
export function compareSpecificity(a: Route, b: Route): number {
  const byTier = tier(a) - tier(b);
  if (byTier !== 0) return byTier;
  const length = Math.min(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    const rankA = SEGMENT_RANK[(a.segments[index] as Segment).kind];
    const rankB = SEGMENT_RANK[(b.segments[index] as Segment).kind];
    if (rankA !== rankB) return rankA - rankB;
  }
  return Number(a.method === "ANY") - Number(b.method === "ANY");
}

/** The route API Gateway selects for a request, or null (a 404). */
export function selectRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch | null {
  let best: RouteMatch | null = null;
  for (const route of routes) {
    if (route.method !== null && route.method !== "ANY" && route.method !== method) continue;
    const parameters = route.path === null ? {} : matchPath(route, path);
    if (!parameters) continue;
    if (best && compareSpecificity(route, best.route) >= 0) continue;
    best = Object.keys(parameters).length ? { route, pathParameters: parameters } : { route };
  }
  return best;
}
