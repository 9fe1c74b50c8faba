import type { JWTPayload } from "jose";
import { stringClaims } from "./authorizer";
import {
  bodyFields,
  type GatewayRequest,
  groupRepeated,
  joinRepeated,
  requestTime,
  valuesOf,
} from "./request";
import type { RouteMatch } from "./routes";

/**
 * The events a Lambda proxy integration receives, in payload formats 2.0 and 1.0, as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * shows them.
 */

export interface EventContext {
  apiId: string;
  accountId: string;
  stage: string;
  /** The host (and port) the client called. */
  domainName: string;
  match: RouteMatch;
  /** The verified token, for a route with a JWT authorizer. */
  authorization?: { claims: JWTPayload; scopes: string[] | null };
}

const domainPrefix = (domainName: string) => domainName.split(".")[0] ?? domainName;

/** Payload 2.0: repeated headers and query parameters joined with commas, cookies apart. */
export function eventV2(request: GatewayRequest, context: EventContext) {
  const { match, authorization } = context;
  const routeKey = match.route.spec.routeKey;
  // Format 2.0 moves the Cookie header into `cookies`, one entry per cookie.
  const cookies = valuesOf(request.headers, "cookie")
    .flatMap((line) => line.split(";"))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== "");
  const headers = joinRepeated(request.headers.filter(([name]) => name !== "cookie"));
  const query = joinRepeated(request.query);
  return {
    version: "2.0",
    routeKey,
    rawPath: request.path,
    rawQueryString: request.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(request.query.length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      ...(authorization
        ? {
            authorizer: {
              jwt: { claims: stringClaims(authorization.claims), scopes: authorization.scopes },
            },
          }
        : {}),
      domainName: context.domainName,
      domainPrefix: domainPrefix(context.domainName),
      http: {
        method: request.method,
        path: request.path,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: request.requestId,
      routeKey,
      stage: context.stage,
      time: requestTime(request.time),
      timeEpoch: request.time.getTime(),
    },
    ...(match.pathParameters ? { pathParameters: match.pathParameters } : {}),
    ...bodyFields(request.body),
  };
}

/** The last of each name's values: what the doc's 1.0 example shows for a repeated header. */
const lastValues = (pairs: [string, string][]) => Object.fromEntries(new Map(pairs));

/** The first of each name's values: what the same example shows for a repeated query parameter. */
const firstValues = (pairs: [string, string][]) =>
  Object.fromEntries(new Map([...pairs].reverse()));

/** Payload 1.0: single and multi-value headers and query parameters, REST API's shape. */
export function eventV1(request: GatewayRequest, context: EventContext) {
  const { match, authorization } = context;
  const path = match.route.path ?? match.route.spec.routeKey;
  const userAgent = valuesOf(request.headers, "user-agent").join(",");
  return {
    version: "1.0",
    resource: path,
    path: request.path,
    httpMethod: request.method,
    headers: lastValues(request.headers),
    multiValueHeaders: groupRepeated(request.headers),
    queryStringParameters: request.query.length ? firstValues(request.query) : null,
    multiValueQueryStringParameters: request.query.length ? groupRepeated(request.query) : null,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      authorizer: authorization
        ? { claims: stringClaims(authorization.claims), scopes: authorization.scopes }
        : { claims: null, scopes: null },
      domainName: context.domainName,
      domainPrefix: domainPrefix(context.domainName),
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: request.path,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: requestTime(request.time),
      requestTimeEpoch: request.time.getTime(),
      resourceId: null,
      resourcePath: path,
      stage: context.stage,
    },
    pathParameters: match.pathParameters ?? null,
    stageVariables: null,
    body: bodyFields(request.body).body ?? null,
    isBase64Encoded: bodyFields(request.body).isBase64Encoded,
  };
}
