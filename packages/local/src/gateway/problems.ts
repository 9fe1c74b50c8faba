import type { HttpApiSpec } from "../spec";
import { identitySourceProblem, type JwksLookup } from "./authorizer";
import { parseRoute, type Route, routeShape } from "./routes";

/** What API Gateway (or the local stack) cannot serve in an API, found before it starts. */
export class HttpApiSpecError extends Error {
  constructor(
    readonly api: string,
    readonly problems: string[],
  ) {
    super(`The HTTP API "${api}" cannot be served locally:\n- ${problems.join("\n- ")}`);
    this.name = "HttpApiSpecError";
  }
}

const MAX_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * Everything wrong with an API's spec: route keys API Gateway would refuse (a bad method or
 * path, a greedy variable before the end, two routes of the same shape), a CORS setting it
 * refuses (credentials with any origin), an integration timeout out of range, and any JWT
 * authorizer whose issuer has no local JWKS, since nothing could be verified against it.
 * Empty when the API can be served.
 */
export function httpApiProblems(api: HttpApiSpec, jwksUrl: JwksLookup): string[] {
  const problems: string[] = [];
  const shapes = new Map<string, string>();
  for (const spec of api.routes) {
    const parsed = parseRoute(spec);
    if ("problem" in parsed) {
      problems.push(parsed.problem);
      continue;
    }
    const shape = routeShape(parsed);
    const earlier = shapes.get(shape);
    if (earlier) problems.push(`route keys "${earlier}" and "${spec.routeKey}" are the same route`);
    else shapes.set(shape, spec.routeKey);
    const timeout = spec.integrationTimeoutMs;
    if (timeout !== undefined && !(timeout >= 50 && timeout <= MAX_INTEGRATION_TIMEOUT_MS)) {
      problems.push(`route "${spec.routeKey}": the integration timeout must be 50 to 30000 ms`);
    }
    const authorizer = spec.authorizer;
    if (!authorizer) continue;
    const source = identitySourceProblem(authorizer.identitySources);
    if (source) problems.push(`authorizer "${authorizer.name}": ${source}`);
    if (jwksUrl(authorizer.issuer) === undefined) {
      problems.push(
        `authorizer "${authorizer.name}" trusts the issuer ${authorizer.issuer}, which no local user pool serves keys for, so no token could be verified`,
      );
    }
  }
  if (api.cors?.allowCredentials && api.cors.allowOrigins.includes("*")) {
    problems.push("CORS: allowCredentials is not supported when allowOrigins is *");
  }
  return [...new Set(problems)];
}

/** The API's routes, ready to select from; throws HttpApiSpecError when it has problems. */
export function compileRoutes(api: HttpApiSpec, jwksUrl: JwksLookup): Route[] {
  const problems = httpApiProblems(api, jwksUrl);
  if (problems.length) throw new HttpApiSpecError(api.name, problems);
  return api.routes.map((spec) => parseRoute(spec) as Route);
}
