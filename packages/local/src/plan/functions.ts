/** Functions as `sst dev` would run them: handler, runtime, links, environment and role. */
import type { FunctionSpec, InvokePermission, PolicyStatement, RoleSpec } from "../spec";
import {
  numberOr,
  optionalText,
  type Recorded,
  type RecordedResource,
  type Refusal,
  record,
  records,
  strings,
  text,
} from "./recorded";

/** What SST gives a deployed stub to reach `sst dev`: meaningless for a function run here. */
const LIVE_BRIDGE_VARIABLES = new Set([
  "SST_APPSYNC_HTTP",
  "SST_APPSYNC_REALTIME",
  "SST_ASSET_BUCKET",
  "SST_FUNCTION_ID",
  "SST_FUNCTION_TIMEOUT",
  "SST_KEY",
  "SST_KEY_FILE",
  "SST_REGION",
]);

/** Managed policies whose grants don't reach any service the local stack emulates. */
const MANAGED_POLICIES_WITHOUT_LOCAL_EFFECT = new Set([
  "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
]);

interface BuildRequest {
  functionID: string;
  handler: string;
  runtime: string;
  links: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/** What the function asked the CLI to build or run live: handler, runtime and link values. */
function buildRequests(recorded: Recorded): Map<string, BuildRequest> {
  const requests = new Map<string, BuildRequest>();
  for (const call of recorded.evaluation.rpcCalls) {
    if (call.method !== "Runtime.AddTarget" && call.method !== "Runtime.Build") continue;
    const args = call.args;
    requests.set(String(args.functionID), {
      functionID: String(args.functionID),
      handler: String(args.handler),
      runtime: String(args.runtime),
      links: record(args.links),
      properties: record(args.properties),
    });
  }
  return requests;
}

function roleOf(recorded: Recorded, lambda: RecordedResource, refusals: Refusal[]): RoleSpec {
  const arn = text(lambda, "role");
  const role = recorded.find("aws:iam/role:Role", "arn", arn);
  if (!role)
    return { arn, name: arn.split("/").at(-1) ?? arn, statements: [], managedPolicyArns: [] };
  const name = text(role, "name");
  const documents = [
    ...records(role.inputs.inlinePolicies).map((p) => p.policy),
    ...recorded
      .ofType("aws:iam/rolePolicy:RolePolicy")
      .filter((p) => p.inputs.role === name || p.inputs.role === arn)
      .map((p) => p.inputs.policy),
  ];
  const statements: PolicyStatement[] = [];
  for (const document of documents) {
    if (typeof document !== "string") continue;
    for (const statement of records(record(JSON.parse(document)).Statement)) {
      if (statement.Condition !== undefined || statement.NotAction || statement.NotResource) {
        refusals.push({
          type: role.type,
          name: role.name,
          origin: recorded.origin(role),
          reason:
            "a policy statement with Condition, NotAction or NotResource is not evaluated by the local IAM check; grant plain actions on plain resources with `permissions`",
        });
        continue;
      }
      statements.push({
        effect: statement.Effect === "Deny" ? "Deny" : "Allow",
        actions: [statement.Action].flat().map(String),
        resources: [statement.Resource].flat().map(String),
      });
    }
  }
  const attached = recorded
    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    .filter((a) => a.inputs.role === name)
    .map((a) => String(a.inputs.policyArn));
  const managedPolicyArns = [...strings(role.inputs.managedPolicyArns), ...attached];
  for (const policy of managedPolicyArns) {
    if (MANAGED_POLICIES_WITHOUT_LOCAL_EFFECT.has(policy)) continue;
    refusals.push({
      type: role.type,
      name: role.name,
      origin: recorded.origin(role),
      reason: `the grants of the managed policy ${policy} are not known locally, so the local IAM check would refuse what it allows; grant the actions the function needs with \`permissions\``,
    });
  }
  return { arn: text(role, "arn"), name, statements, managedPolicyArns };
}

function invokePermissions(recorded: Recorded, lambda: RecordedResource): InvokePermission[] {
  const names = new Set([text(lambda, "arn"), text(lambda, "name")]);
  return recorded
    .ofType("aws:lambda/permission:Permission")
    .filter((p) => names.has(String(p.inputs.function)))
    .map((p) => ({
      principal: String(p.inputs.principal),
      action: String(p.inputs.action ?? "lambda:InvokeFunction"),
      ...(optionalText(p.inputs.sourceArn) ? { sourceArn: String(p.inputs.sourceArn) } : {}),
    }));
}

function environmentOf(lambda: RecordedResource, links: Record<string, unknown>) {
  const variables = record(record(lambda.inputs.environment).variables);
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (!LIVE_BRIDGE_VARIABLES.has(name)) environment[name] = String(value);
  }
  // `sst dev` hands a function its links as variables; a deploy encrypts them into the bundle.
  for (const [name, value] of Object.entries(links)) {
    environment[`SST_RESOURCE_${name}`] = JSON.stringify(value);
  }
  return environment;
}

export function planFunctions(recorded: Recorded, refusals: Refusal[]): FunctionSpec[] {
  const requests = buildRequests(recorded);
  const specs: FunctionSpec[] = [];
  for (const component of recorded.ofType("sst:aws:Function")) {
    const origin = recorded.origin(component);
    const [lambda] = recorded.childrenOf(component, "aws:lambda/function:Function");
    const request = requests.get(component.name);
    if (!lambda || !request) continue;
    if (!request.runtime.startsWith("nodejs")) {
      refusals.push({
        type: component.type,
        name: component.name,
        origin,
        reason: `runtime ${request.runtime} is not run locally (Node.js functions only); test it with \`sst dev\` against AWS`,
      });
      continue;
    }
    specs.push({
      name: text(lambda, "name"),
      arn: text(lambda, "arn"),
      origin,
      handler: request.handler,
      runtime: request.runtime,
      timeoutSeconds: numberOr(lambda.inputs.timeout, 20),
      memoryMB: numberOr(lambda.inputs.memorySize, 1024),
      environment: environmentOf(lambda, request.links),
      buildProperties: request.properties,
      role: roleOf(recorded, lambda, refusals),
      invokePermissions: invokePermissions(recorded, lambda),
    });
  }
  const planned = new Set(specs.map((spec) => spec.arn));
  for (const lambda of recorded.ofType("aws:lambda/function:Function")) {
    if (planned.has(text(lambda, "arn"))) continue;
    if (refusals.some((r) => r.name === recorded.parentOf(lambda)?.name)) continue;
    refusals.push({
      type: lambda.type,
      name: lambda.name,
      origin: recorded.origin(lambda),
      reason:
        "a Lambda function made without sst.aws.Function has no handler source the local stack can run; define it with `new sst.aws.Function(...)`",
    });
  }
  return specs;
}
