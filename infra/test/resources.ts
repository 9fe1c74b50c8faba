import { UsersTable } from "@userprofile/core/users-table";
import {
  childrenOf,
  type DeployedFunction,
  type Evaluation,
  functionWithHandler,
  ofType,
  only,
  type RecordedResource,
  region,
  type Statement,
} from "./evaluate";

export const triggerHandler = "packages/functions/src/cognito/post-confirmation.handler";

export const basicExecutionRole =
  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

export function text(resource: RecordedResource, key: string): string {
  const value = resource.state[key];
  if (typeof value !== "string") throw new Error(`${resource.name} has no ${key}.`);
  return value;
}

/** The resources this app is made of, found the way a reader of the console would. */
export function appResources(evaluation: Evaluation) {
  // By the SST component that makes each one, so resources an adopter adds (another table,
  // API, pool client or site) leave these assertions about the app's own parts unchanged.
  const api = partOf(evaluation, "sst:aws:ApiGatewayV2", "Api", "aws:apigatewayv2/api:Api");
  return {
    table: partOf(evaluation, "sst:aws:Dynamo", UsersTable.name, "aws:dynamodb/table:Table"),
    pool: partOf(evaluation, "sst:aws:CognitoUserPool", "Auth", "aws:cognito/userPool:UserPool"),
    client: partOf(
      evaluation,
      "sst:aws:CognitoUserPoolClient",
      "WebClient",
      "aws:cognito/userPoolClient:UserPoolClient",
    ),
    api,
    authorizer: partOf(
      evaluation,
      "sst:aws:ApiGatewayV2Authorizer",
      "ApiAuthorizerUserPool",
      "aws:apigatewayv2/authorizer:Authorizer",
    ),
    routes: ofType(evaluation, "aws:apigatewayv2/route:Route").filter(
      (route) => route.inputs.apiId === text(api, "id"),
    ),
    site: only(
      ofType(evaluation, "sst:aws:StaticSite").filter((site) => site.name === "Web"),
      "static site Web",
    ),
    trigger: functionWithHandler(evaluation, triggerHandler),
  };
}

/** The one resource of `type` that the SST component `componentType` named `name` makes. */
function partOf(evaluation: Evaluation, componentType: string, name: string, type: string) {
  const component = only(
    ofType(evaluation, componentType).filter((candidate) => candidate.name === name),
    `${componentType} ${name}`,
  );
  return only(childrenOf(evaluation, component, type), `${type} of ${name}`);
}

/**
 * What the web app must be built (or served) with to reach this stage's
 * backend, and to offer exactly the sign-in methods its pool allows.
 */
export function expectedWebEnvironment(evaluation: Evaluation) {
  const { pool, client, api } = appResources(evaluation);
  const policy = pool.inputs.signInPolicy as { allowedFirstAuthFactors?: string[] } | undefined;
  return {
    VITE_REGION: region,
    VITE_USER_POOL_ID: text(pool, "id"),
    VITE_USER_POOL_CLIENT_ID: text(client, "id"),
    VITE_API_URL: text(api, "apiEndpoint"),
    VITE_SIGN_IN_FACTORS: (policy?.allowedFirstAuthFactors ?? ["PASSWORD"]).join(","),
    VITE_TOTP_MFA: pool.inputs.mfaConfiguration === "OPTIONAL" ? "on" : "off",
  };
}

/** Each (action, resource) a statement list allows, sorted: order and grouping don't matter. */
export function grants(statements: Statement[]): string[] {
  return statements
    .flatMap((s) =>
      s.actions.flatMap((action) => s.resources.map((r) => `${s.effect} ${action} ${r}`)),
    )
    .sort();
}

/** The log group a function writes to: the one its Lambda's logging config names. */
export function logGroupOf(evaluation: Evaluation, fn: DeployedFunction): RecordedResource {
  const config = fn.lambda.inputs.loggingConfig as { logGroup?: string } | undefined;
  return only(
    ofType(evaluation, "aws:cloudwatch/logGroup:LogGroup").filter(
      (group) => group.inputs.name === config?.logGroup,
    ),
    `log group of ${fn.component.name}`,
  );
}

export interface Alarm {
  resource: RecordedResource;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  alarmActions: string[];
  okActions: string[];
}

/** The stage's alarms, the metric filters and the topic the alarms notify. */
export function monitoringResources(evaluation: Evaluation) {
  return {
    topic: only(ofType(evaluation, "aws:sns/topic:Topic"), "alarm topic"),
    filters: ofType(evaluation, "aws:cloudwatch/logMetricFilter:LogMetricFilter"),
    alarms: ofType(evaluation, "aws:cloudwatch/metricAlarm:MetricAlarm").map(
      (resource): Alarm => ({
        resource,
        namespace: String(resource.inputs.namespace),
        metricName: String(resource.inputs.metricName),
        dimensions: (resource.inputs.dimensions ?? {}) as Record<string, string>,
        alarmActions: (resource.inputs.alarmActions ?? []) as string[],
        okActions: (resource.inputs.okActions ?? []) as string[],
      }),
    ),
  };
}

/** Who may assume a role, from its trust policy. */
export function trustedPrincipals(role: { inputs: Record<string, unknown> }) {
  const document = role.inputs.assumeRolePolicy;
  const policy = (typeof document === "string" ? JSON.parse(document) : document) as {
    Statement: { Effect: string; Action: string; Principal: Record<string, unknown> }[];
  };
  return policy.Statement.filter((s) => s.Effect === "Allow" && s.Action === "sts:AssumeRole").map(
    (s) => s.Principal,
  );
}

/** What the CLI gives a function as `Resource`, without SST's type tags. */
export function linksOf(evaluation: Evaluation, method: string, handler: string) {
  const call = evaluation.rpcCalls.find((c) => c.method === method && c.args.handler === handler);
  const links = (call?.args.links ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(links).map(([name, { type: _, ...properties }]) => [name, properties]),
  );
}
