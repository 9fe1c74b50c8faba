/** API Gateway HTTP APIs: routes, their Lambda integrations, JWT authorizers and CORS. */
import type { FunctionSpec, HttpApiSpec, HttpRouteSpec, JwtAuthorizerSpec } from "../spec";
import {
  optionalNumber,
  optionalText,
  type Recorded,
  type RecordedResource,
  type Refusal,
  record,
  strings,
  text,
} from "./recorded";

function corsOf(api: RecordedResource): HttpApiSpec["cors"] {
  const cors = record(api.inputs.corsConfiguration);
  if (Object.keys(cors).length === 0) return undefined;
  const maxAgeSeconds = optionalNumber(cors.maxAge);
  return {
    allowOrigins: strings(cors.allowOrigins),
    allowMethods: strings(cors.allowMethods),
    allowHeaders: strings(cors.allowHeaders),
    exposeHeaders: strings(cors.exposeHeaders),
    ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
    allowCredentials: cors.allowCredentials === true,
  };
}

export function planHttpApis(
  recorded: Recorded,
  functions: FunctionSpec[],
  refusals: Refusal[],
): HttpApiSpec[] {
  const apis: HttpApiSpec[] = [];
  for (const api of recorded.ofType("aws:apigatewayv2/api:Api")) {
    const origin = recorded.origin(api);
    const refuse = (resource: RecordedResource, reason: string) =>
      refusals.push({ type: resource.type, name: resource.name, origin, reason });
    if (api.inputs.protocolType !== "HTTP") {
      refuse(api, "WebSocket APIs are not emulated locally; test them with `sst dev` against AWS");
      continue;
    }
    const id = text(api, "id");
    const routes: HttpRouteSpec[] = [];
    for (const route of recorded.ofType("aws:apigatewayv2/route:Route")) {
      if (route.inputs.apiId !== id) continue;
      const routeKey = String(route.inputs.routeKey);
      const integrationId = String(route.inputs.target ?? "").replace(/^integrations\//, "");
      const integration = recorded.find(
        "aws:apigatewayv2/integration:Integration",
        "id",
        integrationId,
      );
      const uri = optionalText(integration?.inputs.integrationUri);
      const fn = functions.find((f) => f.arn === uri || f.name === uri);
      if (integration?.inputs.integrationType !== "AWS_PROXY" || !fn) {
        refuse(
          route,
          `route ${routeKey} does not invoke a function of this app (only Lambda proxy integrations are emulated locally: HTTP, private and AWS service integrations are not)`,
        );
        continue;
      }
      const authorization = String(route.inputs.authorizationType ?? "NONE");
      let authorizer: JwtAuthorizerSpec | undefined;
      if (authorization === "JWT") {
        const resource = recorded.find(
          "aws:apigatewayv2/authorizer:Authorizer",
          "id",
          route.inputs.authorizerId,
        );
        const jwt = record(resource?.inputs.jwtConfiguration);
        if (!resource || !optionalText(jwt.issuer)) {
          refuse(route, `route ${routeKey} names a JWT authorizer the program does not define`);
          continue;
        }
        authorizer = {
          name: String(resource.inputs.name ?? resource.name),
          issuer: String(jwt.issuer),
          audiences: strings(jwt.audiences),
          identitySources: strings(resource.inputs.identitySources),
        };
      } else if (authorization !== "NONE") {
        refuse(
          route,
          `route ${routeKey} uses ${authorization} authorization, which the local gateway does not emulate (JWT authorizers and open routes only)`,
        );
        continue;
      }
      const scopes = strings(route.inputs.authorizationScopes);
      const timeout = optionalNumber(integration.inputs.timeoutMilliseconds);
      routes.push({
        routeKey,
        functionName: fn.name,
        payloadFormatVersion: integration.inputs.payloadFormatVersion === "1.0" ? "1.0" : "2.0",
        ...(authorizer ? { authorizer } : {}),
        ...(scopes.length ? { authorizationScopes: scopes } : {}),
        ...(timeout !== undefined ? { integrationTimeoutMs: timeout } : {}),
      });
    }
    apis.push({
      id,
      name: text(api, "name"),
      origin,
      deployedUrl: text(api, "apiEndpoint"),
      ...(corsOf(api) ? { cors: corsOf(api) } : {}),
      routes,
    });
  }
  return apis;
}
