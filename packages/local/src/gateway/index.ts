import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { InvokeCaller, LambdaService } from "../lambda";
import { protectServer } from "../local-safety";
import { BodyTooLargeError, close, guarded, listen, readBody, requestUrl } from "../net";
import type { HttpApiSpec } from "../spec";
import { type JwksLookup, JwtAuthorizer } from "./authorizer";
import { corsHeaders, isPreflight, preflightHeaders } from "./cors";
import { type EventContext, eventV1, eventV2 } from "./events";
import { compileRoutes } from "./problems";
import { decodePath, type GatewayRequest, headerPairs } from "./request";
import { internalError, sendJson, writeResultV1, writeResultV2 } from "./result";
import { type Route, type RouteMatch, selectRoute } from "./routes";

export { HttpApiSpecError, httpApiProblems } from "./problems";

export interface HttpApiOptions {
  api: HttpApiSpec;
  port: number;
  host?: string;
  region: string;
  accountId: string;
  /** The Lambda service the integrations invoke; `caller` lets it check resource policies. */
  lambda: Pick<LambdaService, "invoke">;
  /** The JWKS URL of a JWT issuer, or undefined when no local user pool serves its keys. */
  jwksUrl: JwksLookup;
  /** The clock tokens are checked against and events are stamped with: the stack's. */
  now: () => Date;
  log: (line: string) => void;
}

export interface HttpApi {
  url: string;
  /** Swaps routes, authorizers and CORS; throws HttpApiSpecError (keeping the old ones) if the new spec has problems. */
  update(api: HttpApiSpec): void;
  stop(): Promise<void>;
}

/** HTTP APIs accept payloads up to 10 MB and wait 30 s at most for an integration. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;
/** SST deploys every HTTP API with its `$default` stage only. */
const STAGE = "$default";

/**
 * One HTTP API, as API Gateway serves it from its spec: route selection, JWT authorizers,
 * Lambda proxy integrations (payload 1.0 and 2.0), CORS, and API Gateway's own answers
 * (404, 401/403, 413, 500, 503). Throws HttpApiSpecError before listening if the spec has
 * problems (see httpApiProblems).
 */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const host = options.host ?? "127.0.0.1";
  const authorizer = new JwtAuthorizer(options.jwksUrl, options.now);
  let state = { api: options.api, routes: compileRoutes(options.api, options.jwksUrl) };
  let domainName = "";

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const { api, routes } = state;
    const headers = headerPairs(request);
    const cors = corsHeaders(api.cors, request.headers.origin);
    const method = request.method ?? "GET";
    const target = requestUrl(request, "http://gateway");
    if (!target) {
      request.resume();
      return sendJson(response, 400, cors, { message: "Bad Request" });
    }
    const path = decodePath(target.pathname);

    if (api.cors && isPreflight(method, headers) && !selectRoute(routes, "OPTIONS", path)) {
      request.resume();
      response.writeHead(204, preflightHeaders(api.cors, request.headers.origin));
      response.end();
      return;
    }

    const match = selectRoute(routes, method, path);
    if (!match) {
      request.resume();
      return sendJson(response, 404, cors, { message: "Not Found" });
    }

    const incoming: GatewayRequest = {
      method,
      path,
      rawQueryString: target.search.slice(1),
      headers,
      query: [...target.searchParams],
      body: Buffer.alloc(0),
      protocol: `HTTP/${request.httpVersion}`,
      sourceIp: request.socket.remoteAddress ?? host,
      requestId: randomUUID(),
      time: options.now(),
    };
    const context: EventContext = {
      apiId: api.id,
      accountId: options.accountId,
      stage: STAGE,
      domainName,
      match,
    };
    if (match.route.spec.authorizer) {
      const authorization = await authorizer.authorize(match.route.spec, incoming);
      if (!authorization.ok) {
        request.resume();
        const refusal = authorization.status === 401 ? "Unauthorized" : "Forbidden";
        return sendJson(
          response,
          authorization.status,
          { ...cors, "www-authenticate": authorization.wwwAuthenticate },
          { message: refusal },
        );
      }
      context.authorization = authorization;
    }

    try {
      incoming.body = await readBody(request, MAX_PAYLOAD_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) return request.destroy();
      return sendJson(
        response,
        413,
        { ...cors, connection: "close" },
        { message: "Request Entity Too Large" },
      );
    }

    const { spec } = match.route;
    const v1 = spec.payloadFormatVersion === "1.0";
    const event = v1 ? eventV1(incoming, context) : eventV2(incoming, context);
    const caller: InvokeCaller = {
      principal: "apigateway.amazonaws.com",
      sourceArn: executeApiArn(options, api.id, method, match),
    };
    const result = await withTimeout(
      options.lambda.invoke(spec.functionName, event, caller),
      spec.integrationTimeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
    );
    if (result === TIMED_OUT) {
      return sendJson(response, 503, cors, { message: "Service Unavailable" });
    }
    if (!result.ok) return internalError(response, cors);
    (v1 ? writeResultV1 : writeResultV2)(response, result.payload, api.cors, cors);
  };

  const server = createServer(
    guarded(handle, (error) => options.log(`gateway: request failed: ${String(error)}`)),
  );
  // Which pages may call the API is its own CORS configuration's decision, as on AWS.
  protectServer(server, { origins: "any" });
  const port = await listen(server, options.port, host, "LOCAL_API_PORT");
  domainName = `${host}:${port}`;
  return {
    url: `http://${domainName}`,
    update(api) {
      state = { api, routes: compileRoutes(api, options.jwksUrl) };
    },
    stop: () => close(server),
  };
}

/**
 * The ARN API Gateway invokes the function as (its `AWS:SourceArn`):
 * `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD><route path>`, or
 * `…/<stage>/$default` for the `$default` route.
 */
export function executeApiArn(
  where: { region: string; accountId: string },
  apiId: string,
  method: string,
  match: RouteMatch,
): string {
  const route: Route = match.route;
  const resource = route.path === null ? route.spec.routeKey : `${method}${route.path}`;
  return `arn:aws:execute-api:${where.region}:${where.accountId}:${apiId}/${STAGE}/${resource}`;
}

const TIMED_OUT = Symbol("timed out");

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
