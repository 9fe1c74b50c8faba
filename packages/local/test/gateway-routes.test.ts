import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpApi } from "../src/gateway/index";
import { apiSpec, recordingLambda, route, startApi } from "./gateway-harness";

/**
 * Route selection through the gateway's HTTP interface, as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 * describes it. Each case swaps the API's routes with update() and sends one request; the
 * recorded event names the route API Gateway chose (`routeKey`) and its `pathParameters`.
 */

let gateway: HttpApi;
const lambda = recordingLambda();

beforeAll(async () => {
  gateway = await startApi(apiSpec([]), lambda, { jwksUrl: "" });
});

afterAll(async () => {
  await gateway?.stop();
});

beforeEach(() => lambda.reset());

/** The route key and path parameters the gateway chose for a request, or null for its 404. */
async function chosen(routeKeys: string[], method: string, path: string) {
  lambda.reset();
  gateway.update(apiSpec(routeKeys.map((key) => route(key))));
  const response = await fetch(`${gateway.url}${path}`, { method });
  await response.arrayBuffer();
  const invocation = lambda.invocations[0];
  if (!invocation) {
    expect(response.status).toBe(404);
    return null;
  }
  const { routeKey, pathParameters, rawPath } = invocation.event;
  return { routeKey, pathParameters, rawPath };
}

const PETS = [
  "GET /pets/dog/1",
  "GET /pets/dog/{id}",
  "GET /pets/{proxy+}",
  "ANY /{proxy+}",
  "$default",
];

describe("route selection, case by case", () => {
  it.each([
    // The documented example (Routing API requests).
    [PETS, "GET", "/pets/dog/1", "GET /pets/dog/1", undefined],
    [PETS, "GET", "/pets/dog/2", "GET /pets/dog/{id}", { id: "2" }],
    [PETS, "GET", "/pets/cat/1", "GET /pets/{proxy+}", { proxy: "cat/1" }],
    [PETS, "POST", "/test/5", "ANY /{proxy+}", { proxy: "test/5" }],
    // A greedy variable needs at least one segment: `/` falls to $default.
    [PETS, "GET", "/", "$default", undefined],
    [["GET /files/{proxy+}"], "GET", "/files", null, undefined],
    [["GET /files/{proxy+}"], "GET", "/files/", null, undefined],
    // A literal segment beats a variable at the same place.
    [["GET /pets/{id}", "GET /pets/dog"], "GET", "/pets/dog", "GET /pets/dog", undefined],
    [["GET /pets/{id}", "GET /pets/dog"], "GET", "/pets/cat", "GET /pets/{id}", { id: "cat" }],
    // A named method beats ANY on the same path; ANY takes the methods not named.
    [["ANY /x", "GET /x"], "GET", "/x", "GET /x", undefined],
    [["ANY /x", "GET /x"], "POST", "/x", "ANY /x", undefined],
    [["ANY /x"], "HEAD", "/x", "ANY /x", undefined],
    [["GET /x"], "HEAD", "/x", null, undefined],
    // The path decides before the method; a route of another method is no candidate at all.
    [["ANY /pets/dog", "GET /pets/{id}"], "GET", "/pets/dog", "ANY /pets/dog", undefined],
    [["POST /pets/dog", "GET /pets/{id}"], "GET", "/pets/dog", "GET /pets/{id}", { id: "dog" }],
    // A full match beats any greedy one; the longer literal prefix wins among greedy ones.
    [
      ["GET /{a}/{b}", "GET /pets/{proxy+}"],
      "GET",
      "/pets/x",
      "GET /{a}/{b}",
      { a: "pets", b: "x" },
    ],
    [
      ["GET /a/{proxy+}", "GET /a/b/{proxy+}"],
      "GET",
      "/a/b/c/d",
      "GET /a/b/{proxy+}",
      { proxy: "c/d" },
    ],
    [["ANY /{proxy+}", "GET /{id}"], "GET", "/7", "GET /{id}", { id: "7" }],
    // $default takes any method and path, with no path parameters.
    [["$default"], "DELETE", "/any/where", "$default", undefined],
    // Paths are case-sensitive.
    [["GET /Pets"], "GET", "/pets", null, undefined],
    // The root path is a route of its own.
    [["GET /"], "GET", "/", "GET /", undefined],
    [["GET /"], "GET", "/x", null, undefined],
    // A variable takes one non-empty segment.
    [["GET /a/{id}/b"], "GET", "/a//b", null, undefined],
    [["GET /a/{id}"], "GET", "/a/1/2", null, undefined],
  ] as const)("%j: %s %s → %s", async (keys, method, path, expected, parameters) => {
    const result = await chosen([...keys], method, path);
    expect(result?.routeKey ?? null).toBe(expected);
    if (result) expect(result.pathParameters).toEqual(parameters);
  });

  it("ignores one trailing slash for matching; rawPath keeps it", async () => {
    expect(await chosen(["GET /items"], "GET", "/items/")).toEqual({
      routeKey: "GET /items",
      pathParameters: undefined,
      rawPath: "/items/",
    });
  });

  it("decodes the path before routing: parameters and rawPath are decoded, %2F splits segments", async () => {
    const files = ["GET /files/{name}", "GET /files/{proxy+}"];
    expect(await chosen(files, "GET", "/files/a%20b%C3%A9")).toEqual({
      routeKey: "GET /files/{name}",
      pathParameters: { name: "a bé" },
      rawPath: "/files/a bé",
    });
    expect(await chosen(files, "GET", "/files/a%2Fb")).toEqual({
      routeKey: "GET /files/{proxy+}",
      pathParameters: { proxy: "a/b" },
      rawPath: "/files/a/b",
    });
    // An escape that is not UTF-8 stays as it was sent.
    expect(await chosen(files, "GET", "/files/x%FFy")).toMatchObject({
      pathParameters: { name: "x%FFy" },
    });
  });

  it("takes a variable named __proto__ as a plain name", async () => {
    const result = await chosen(["GET /p/{__proto__}"], "GET", "/p/v");
    expect(Object.entries(result?.pathParameters ?? {})).toEqual([["__proto__", "v"]]);
  });
});

// ─── Property: the chosen route matches, and no matching route is more specific ────────────

type Part = { kind: "literal"; text: string } | { kind: "variable" } | { kind: "greedy" };
interface GeneratedRoute {
  method: string | null;
  parts: Part[];
}

const partArb: fc.Arbitrary<Part> = fc.oneof(
  fc.constantFrom("a", "b", "c").map((text) => ({ kind: "literal" as const, text })),
  fc.constant({ kind: "variable" as const }),
);
const pathArb: fc.Arbitrary<Part[]> = fc
  .tuple(fc.array(partArb, { maxLength: 3 }), fc.boolean())
  .map(([parts, greedy]) => (greedy ? [...parts, { kind: "greedy" as const }] : parts));
const segmentArb = fc.constantFrom("a", "b", "c", "d");
/** A request path that a path of the pool matches (variables and greedy tails filled in). */
const instanceArb = (parts: Part[]) =>
  fc
    .tuple(
      ...parts.map((p) =>
        p.kind === "literal"
          ? fc.constant([p.text])
          : p.kind === "variable"
            ? segmentArb.map((segment) => [segment])
            : fc.array(segmentArb, { minLength: 1, maxLength: 2 }),
      ),
    )
    .map((pieces) => pieces.flat());
/**
 * Routes drawn from a small pool of paths, so that several routes share a path (with
 * different methods) or overlap, and requests aimed at one of them or anywhere.
 */
const caseArb = fc.array(pathArb, { minLength: 1, maxLength: 3 }).chain((pool) =>
  fc.record({
    routes: fc.uniqueArray(
      fc.oneof(
        { weight: 1, arbitrary: fc.constant<GeneratedRoute>({ method: null, parts: [] }) },
        {
          weight: 8,
          arbitrary: fc
            .record({
              method: fc.constantFrom("GET", "POST", "ANY"),
              parts: fc.constantFrom(...pool),
            })
            .map((r): GeneratedRoute => r),
        },
      ),
      { minLength: 1, maxLength: 6, selector: (r) => shape(r) },
    ),
    method: fc.constantFrom("GET", "POST", "DELETE"),
    segments: fc.oneof(
      fc.array(segmentArb, { maxLength: 4 }),
      fc.constantFrom(...pool).chain(instanceArb),
    ),
    trailingSlash: fc.boolean(),
  }),
);
/** One text per route shape: API Gateway refuses two keys that differ only in variable names. */
const shape = (r: GeneratedRoute) =>
  r.method === null
    ? "$default"
    : `${r.method} /${r.parts.map((p) => (p.kind === "literal" ? p.text : p.kind)).join("/")}`;
const routeKey = (r: GeneratedRoute) => {
  if (r.method === null) return "$default";
  const path = r.parts.map((p, i) =>
    p.kind === "literal" ? p.text : p.kind === "variable" ? `{v${i}}` : `{g${i}+}`,
  );
  return `${r.method} /${path.join("/")}`;
};

/** The oracle: a route as a regular expression over the path's segments. */
function oracleMatch(r: GeneratedRoute, method: string, segments: string[]) {
  if (r.method === null) return {};
  if (r.method !== "ANY" && r.method !== method) return null;
  const source = r.parts
    .map((p) => (p.kind === "literal" ? p.text : p.kind === "variable" ? "([^/]+)" : "(.+)"))
    .join("/");
  const found = new RegExp(`^${source}$`).exec(segments.join("/"));
  if (!found) return null;
  const names = r.parts.flatMap((p, i) =>
    p.kind === "literal" ? [] : [p.kind === "variable" ? `v${i}` : `g${i}`],
  );
  return Object.fromEntries(names.map((name, j) => [name, found[j + 1]]));
}

/** Specificity as a sort key: tier, then each segment's kind from the left, then ANY last. */
function specificityKey(r: GeneratedRoute): number[] {
  if (r.method === null) return [2];
  const greedy = r.parts.at(-1)?.kind === "greedy";
  const ranks = r.parts.map((p) => ({ literal: 0, variable: 1, greedy: 2 })[p.kind]);
  return [greedy ? 1 : 0, ...ranks, r.method === "ANY" ? 1 : 0];
}
function lessSpecific(a: number[], b: number[]) {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return (a[i] as number) > (b[i] as number);
  }
  return false;
}

describe("route selection, as a property", () => {
  it("for any routes and request, the chosen route matches and no matching route is more specific", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ routes, method, segments, trailingSlash }) => {
        const path = `/${segments.join("/")}${trailingSlash && segments.length ? "/" : ""}`;
        const result = await chosen(routes.map(routeKey), method, path);
        const matching = routes.filter((r) => oracleMatch(r, method, segments) !== null);
        if (!result) {
          expect(matching).toEqual([]);
          return;
        }
        const winner = routes.find((r) => routeKey(r) === result.routeKey) as GeneratedRoute;
        expect(matching).toContain(winner);
        for (const other of matching) {
          expect(lessSpecific(specificityKey(winner), specificityKey(other))).toBe(false);
        }
        const parameters = oracleMatch(winner, method, segments) as Record<string, string>;
        expect(result.pathParameters ?? {}).toEqual(parameters);
      }),
      { numRuns: 300 },
    );
  });
});
