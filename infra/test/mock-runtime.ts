/// <reference path="../../.sst/platform/config.d.ts" />
/**
 * Runs inside the evaluation bundle (the harness bundles it with sst.config.ts), so it shares
 * the bundle's `@pulumi/pulumi` through the `$util` global. Never imported by vitest directly.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  accountId,
  type MockRuntimeResult,
  type RecordedCall,
  type RecordedRead,
  type RecordedResource,
  region,
} from "./evaluation";

type Inputs = Record<string, unknown>;
type Struct = Parameters<typeof $util.runtime.deserializeProperties>[0];

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Struct;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
}

interface ReadRequest {
  getType(): string;
  getName(): string;
  getId(): string;
}

interface RegisterOutputsRequest {
  getUrn(): string;
  getOutputs(): Struct;
}

type Callback = (
  err: unknown,
  response: { getUrn(): string; getObject(): Struct } | undefined,
) => void;

interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  readResource(req: ReadRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: RegisterOutputsRequest, callback: Callback): void;
}

interface PolicyStatementInput {
  sid?: string;
  effect?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

function policyDocument(statements: PolicyStatementInput[]) {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect ?? "Allow",
      Action: s.actions,
      NotAction: s.notActions,
      Resource: s.resources,
      NotResource: s.notResources,
      Principal: s.principals?.length
        ? Object.fromEntries(s.principals.map((p) => [p.type, p.identifiers]))
        : undefined,
      Condition: s.conditions?.length
        ? Object.fromEntries(s.conditions.map((c) => [c.test, { [c.variable]: c.values }]))
        : undefined,
    })),
  });
}

function call(token: string, inputs: Inputs): Inputs {
  switch (token) {
    case "aws:index/getRegion:getRegion":
      return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: accountId,
        accountId,
        arn: `arn:aws:iam::${accountId}:user/test`,
        userId: "TEST",
      };
    case "aws:iam/getPolicyDocument:getPolicyDocument": {
      const statements = (inputs.statements ?? []) as PolicyStatementInput[];
      return { id: "policy", json: policyDocument(statements), statements };
    }
    default:
      return { id: token };
  }
}

/**
 * Outputs a resource of this type would have after creation (or, given the id of an existing one,
 * after a lookup), shaped like the AWS provider's.
 */
function created(type: string, name: string, inputs: Inputs, existingId?: string) {
  const physical = typeof inputs.name === "string" ? inputs.name : existingId || name;
  const id = `${physical}-id`;
  const base = { ...inputs, id, name: physical };
  switch (type) {
    case "aws:dynamodb/table:Table":
      return { ...base, arn: `arn:aws:dynamodb:${region}:${accountId}:table/${physical}` };
    case "aws:cognito/userPool:UserPool":
      return {
        ...base,
        id: `${region}_${physical}`,
        arn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${region}_${physical}`,
        endpoint: `cognito-idp.${region}.amazonaws.com/${region}_${physical}`,
      };
    case "aws:lambda/function:Function": {
      const arn = `arn:aws:lambda:${region}:${accountId}:function:${physical}`;
      return {
        ...base,
        arn,
        qualifiedArn: `${arn}:$LATEST`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      };
    }
    case "aws:iam/role:Role":
      return { ...base, arn: `arn:aws:iam::${accountId}:role/${physical}` };
    case "aws:apigatewayv2/api:Api":
      return {
        ...base,
        arn: `arn:aws:apigateway:${region}::/apis/${id}`,
        apiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${region}:${accountId}:${id}`,
      };
    case "aws:cloudfront/distribution:Distribution":
      return {
        ...base,
        arn: `arn:aws:cloudfront::${accountId}:distribution/${id}`,
        domainName: `${id}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2",
      };
    case "aws:acm/certificate:Certificate": {
      const names = [inputs.domainName, ...((inputs.subjectAlternativeNames as unknown[]) ?? [])];
      return {
        ...base,
        arn: `arn:aws:acm:${region}:${accountId}:certificate/${id}`,
        domainValidationOptions: names.map((domain) => ({
          domainName: domain,
          resourceRecordName: `_validation.${String(domain)}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: "_token.acm-validations.aws.",
        })),
      };
    }
    case "aws:apigatewayv2/domainName:DomainName":
      return {
        ...base,
        id: String(inputs.domainName),
        domainNameConfiguration: {
          ...(inputs.domainNameConfiguration as Inputs),
          targetDomainName: `d-${id}.execute-api.${region}.amazonaws.com`,
          hostedZoneId: "Z1UJRXOUMOOFQ8",
        },
      };
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket": {
      const bucket = typeof inputs.bucket === "string" ? inputs.bucket : physical.toLowerCase();
      return {
        ...base,
        id: bucket,
        bucket,
        arn: `arn:aws:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
      };
    }
    default: {
      const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
      return { ...base, arn: `arn:aws:${service}:${region}:${accountId}:${name}/${physical}` };
    }
  }
}

/** Keeps the recorded values JSON-friendly: promises (an asset's path) are left out. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Promise) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  const out: Inputs = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = plain(item);
  }
  return out;
}

/**
 * Dynamic providers (SST's `Resource.*` resources) never run under mocks, yet Pulumi serializes
 * each one's closure, loading TypeScript and npm's Arborist: most of an evaluation's time.
 */
function skipProviderSerialization() {
  const closure = createRequire(import.meta.url)(
    "@pulumi/pulumi/runtime/closure/serializeClosure",
  ) as { serializeFunction: (...args: unknown[]) => Promise<unknown> };
  closure.serializeFunction = async () => ({
    text: "exports.handler = () => { throw new Error('serialized under mocks'); };",
    exportName: "handler",
    containsSecrets: false,
  });
}

export async function runUnderMocks(program: () => Promise<unknown>, resultPath: string) {
  const runtime = $util.runtime;
  skipProviderSerialization();
  const resources: RecordedResource[] = [];
  const invokes: RecordedCall[] = [];
  const reads: RecordedRead[] = [];
  const byUrn = new Map<string, RecordedResource>();
  const pendingOutputs = new Map<string, Inputs>();
  let outputs: Inputs = {};

  await runtime.setMocks(
    {
      newResource: ({ type, name, inputs, id }) => {
        const state = created(type, name, inputs, id);
        return { id: state.id, state };
      },
      call: ({ token, inputs }) => {
        invokes.push({ token, inputs: plain(inputs) as Inputs });
        return call(token, inputs);
      },
    },
    $app.name,
    $app.stage,
    false,
  );

  // Mocks' `newResource` never sees resource options; the monitor's request carries them.
  const monitor = runtime.getMonitor() as unknown as Monitor;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const record: RecordedResource = {
      type: req.getType(),
      name: req.getName(),
      urn: "",
      custom: req.getCustom(),
      parent: req.getParent(),
      inputs: plain(runtime.deserializeProperties(req.getObject())) as Inputs,
      state: {},
      options: {
        protect: req.getProtect() ?? false,
        retainOnDelete: req.getRetainondelete() ?? false,
      },
    };
    resources.push(record);
    return registerResource(req, (err, response) => {
      if (response) {
        record.urn = response.getUrn();
        record.state = plain(runtime.deserializeProperties(response.getObject())) as Inputs;
        byUrn.set(record.urn, record);
      }
      callback(err, response);
    });
  };
  const readResource = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) => {
    reads.push({ type: req.getType(), name: req.getName(), id: req.getId() });
    return readResource(req, callback);
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req, callback) => {
    pendingOutputs.set(
      req.getUrn(),
      plain(runtime.deserializeProperties(req.getOutputs())) as Inputs,
    );
    registerResourceOutputs(req, callback);
  };

  const errors = new Set<string>();
  const describe = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));
  let written = false;
  const finish = () => {
    if (written) return;
    written = true;
    for (const [urn, value] of pendingOutputs) {
      const resource = byUrn.get(urn);
      if (resource) resource.outputs = value;
    }
    const error = errors.size ? [...errors].join("\n\n") : undefined;
    const result: MockRuntimeResult = {
      resources,
      reads,
      invokes,
      outputs,
      ...(error ? { error } : {}),
    };
    writeFileSync(resultPath, JSON.stringify(result));
    if (error) process.exitCode = 1;
  };
  process.on("unhandledRejection", (reason) => errors.add(describe(reason)));
  // A rejected input leaves the stack's outputs pending forever; report instead of exiting 13.
  process.on("beforeExit", () => {
    if (!written) errors.add("The program never finished (a resource input never resolved).");
    finish();
  });

  try {
    outputs = (plain(await runtime.runInPulumiStack(program)) ?? {}) as Inputs;
    // Resources created inside `apply` callbacks register after the stack's outputs resolve.
    await runtime.disconnect();
  } catch (e) {
    errors.add(describe(e));
  }
  finish();
}
