import { randomUUID } from "node:crypto";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import type { ApiEvent } from "../src/api/http";

export function postConfirmationEvent(
  overrides: {
    triggerSource?: PostConfirmationTriggerEvent["triggerSource"];
    userAttributes?: Record<string, string>;
  } = {},
): PostConfirmationTriggerEvent {
  const sub = overrides.userAttributes?.sub ?? randomUUID();
  return {
    version: "1",
    triggerSource: overrides.triggerSource ?? "PostConfirmation_ConfirmSignUp",
    region: "us-east-1",
    userPoolId: "us-east-1_TEST",
    userName: sub,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "client" },
    request: {
      userAttributes: {
        sub,
        email: "grace@example.com",
        email_verified: "true",
        "cognito:user_status": "CONFIRMED",
        ...overrides.userAttributes,
      },
    },
    response: {},
  };
}

export function apiEvent(
  routeKey: string,
  options: {
    sub?: string | null;
    body?: string;
    headers?: Record<string, string>;
    base64?: boolean;
  } = {},
): ApiEvent {
  const [method, path] = routeKey.split(" ") as [string, string];
  const claims: Record<string, string> =
    options.sub === null ? {} : { sub: options.sub ?? randomUUID(), token_use: "id" };
  return {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", ...options.headers },
    requestContext: {
      accountId: "000000000000",
      apiId: "test",
      authorizer: { principalId: "", integrationLatency: 0, jwt: { claims, scopes: [] } },
      domainName: "test",
      domainPrefix: "test",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: "",
      timeEpoch: 0,
    },
    body: options.body,
    isBase64Encoded: options.base64 ?? false,
  };
}
