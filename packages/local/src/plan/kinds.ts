/**
 * What every recorded resource is to the local stack: served (read by one of the planners),
 * part of SST's own machinery, without a local effect (listed at start), or refused by name.
 */
import type { FunctionSpec, IgnoredResource } from "../spec";
import type { Recorded, RecordedResource, Refusal } from "./recorded";

/** Read by the planners of functions, tables, user pools and HTTP APIs. */
const SERVED = new Set([
  "aws:lambda/function:Function",
  "aws:lambda/permission:Permission",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:dynamodb/table:Table",
  "aws:cognito/userPool:UserPool",
  "aws:cognito/userPoolClient:UserPoolClient",
  "aws:apigatewayv2/api:Api",
  "aws:apigatewayv2/route:Route",
  "aws:apigatewayv2/integration:Integration",
  "aws:apigatewayv2/authorizer:Authorizer",
  "aws:apigatewayv2/stage:Stage",
]);

/** Resources that change nothing a local client can observe, with the reason shown at start. */
const NO_LOCAL_EFFECT: [prefix: string, reason: string][] = [
  ["aws:cloudwatch/logGroup:", "function logs print in the local stack's terminal"],
  ["aws:cloudwatch/logMetricFilter:", "CloudWatch metrics are not computed locally"],
  ["aws:cloudwatch/metricAlarm:", "CloudWatch alarms do not fire locally"],
  ["aws:cloudwatch/compositeAlarm:", "CloudWatch alarms do not fire locally"],
  ["aws:cloudwatch/dashboard:", "CloudWatch dashboards are not drawn locally"],
  ["aws:cloudfront/", "the site is served by its dev server, not a CDN"],
  ["aws:acm/", "custom domains: the local stack serves its own URLs"],
  ["aws:route53/", "custom domains: the local stack serves its own URLs"],
  ["aws:apigatewayv2/domainName:", "custom domains: the local API answers on its local URL"],
  ["aws:apigatewayv2/apiMapping:", "custom domains: the local API answers on its local URL"],
];

const INTERNAL_PREFIXES = ["pulumi:", "random:", "sst:"];

function isLiveBridgeUpload(resource: RecordedResource) {
  return (
    resource.type === "aws:s3/bucketObjectv2:BucketObjectv2" &&
    String(resource.inputs.key ?? "").startsWith("assets/dev-bridge-code")
  );
}

/** What the developer is told for a service the local stack doesn't emulate. */
const SERVICE_NAMES: Record<string, string> = {
  s3: "S3",
  sqs: "SQS",
  sns: "SNS",
  sfn: "Step Functions",
  cloudwatch: "CloudWatch Events",
  kinesis: "Kinesis",
  rds: "RDS",
  ec2: "EC2 and VPCs",
  ecs: "ECS",
  iot: "IoT",
  appsync: "AppSync",
  ses: "SES",
  sesv2: "SES",
  opensearch: "OpenSearch",
  elasticache: "ElastiCache",
  efs: "EFS",
  kms: "KMS",
  secretsmanager: "Secrets Manager",
  ssm: "Systems Manager",
};

const refuseWith = (type: string) => {
  const service = /^aws:([a-z0-9]+)\//.exec(type)?.[1] ?? type;
  return `${SERVICE_NAMES[service] ?? service} is not emulated locally. Keep it out of the local stage (\`if ($app.stage !== "local") { … }\` in infra/), or try it against AWS with \`sst dev\``;
};

/** Sorts out the resources no planner reads: internal, without local effect, or refused. */
export function classifyOthers(
  recorded: Recorded,
  functions: FunctionSpec[],
  refusals: Refusal[],
): IgnoredResource[] {
  const linked = new Set(
    functions.flatMap((fn) =>
      Object.keys(fn.environment)
        .filter((key) => key.startsWith("SST_RESOURCE_"))
        .map((key) => key.slice("SST_RESOURCE_".length)),
    ),
  );
  const ignored: IgnoredResource[] = [];
  for (const resource of recorded.evaluation.resources) {
    const { type, name } = resource;
    if (SERVED.has(type) || INTERNAL_PREFIXES.some((p) => type.startsWith(p))) continue;
    if (isLiveBridgeUpload(resource)) continue;
    const origin = recorded.origin(resource);
    const quiet = NO_LOCAL_EFFECT.find(([prefix]) => type.startsWith(prefix));
    if (quiet) {
      ignored.push({ type, name, origin, reason: quiet[1] });
      continue;
    }
    if (type === "aws:sns/topic:Topic" && !linked.has(origin.name)) {
      const subscribed = recorded
        .ofType("aws:sns/topicSubscription:TopicSubscription")
        .some((s) => s.inputs.topic === resource.state.arn);
      if (!subscribed) {
        ignored.push({
          type,
          name,
          origin,
          reason: "no function is linked to it or subscribed to it, so nothing publishes locally",
        });
        continue;
      }
    }
    refusals.push({ type, name, origin, reason: refuseWith(type) });
  }
  return ignored;
}
