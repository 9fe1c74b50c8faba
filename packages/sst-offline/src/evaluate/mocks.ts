/**
 * What the AWS provider would answer under Pulumi's mocks: the outputs of a created resource
 * and the results of provider functions. Ids are shaped like AWS's and derived from the
 * resource's name, so every evaluation of the same program yields the same ids.
 */
import { createHash } from "node:crypto";

type Inputs = Record<string, unknown>;

export interface MockAccount {
  region: string;
  accountId: string;
}

const LOWER_ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALPHANUMERIC = `${LOWER_ALPHANUMERIC}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;

/** `length` characters of `alphabet`, stable for the same seed. */
export function stableId(seed: string, length: number, alphabet = LOWER_ALPHANUMERIC): string {
  const digest = createHash("sha256").update(seed).digest();
  let id = "";
  for (let i = 0; id.length < length; i++) {
    id += alphabet[(digest[i % digest.length] as number) % alphabet.length];
  }
  return id;
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

export function mockCall(
  token: string,
  inputs: Inputs,
  { region, accountId }: MockAccount,
): Inputs {
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
export function mockCreated(
  type: string,
  name: string,
  inputs: Inputs,
  { region, accountId }: MockAccount,
  existingId?: string,
) {
  const physical = typeof inputs.name === "string" ? inputs.name : existingId || name;
  const id = `${physical}-id`;
  const base = { ...inputs, id, name: physical };
  switch (type) {
    case "aws:dynamodb/table:Table":
      return { ...base, arn: `arn:aws:dynamodb:${region}:${accountId}:table/${physical}` };
    case "aws:cognito/userPool:UserPool": {
      const poolId = existingId || `${region}_${stableId(physical, 9, ALPHANUMERIC)}`;
      return {
        ...base,
        id: poolId,
        arn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`,
        endpoint: `cognito-idp.${region}.amazonaws.com/${poolId}`,
      };
    }
    case "aws:cognito/userPoolClient:UserPoolClient":
      return {
        ...base,
        id: stableId(`${String(inputs.userPoolId)}/${physical}`, 26),
        ...(inputs.generateSecret === true
          ? { clientSecret: stableId(`secret/${String(inputs.userPoolId)}/${physical}`, 51) }
          : {}),
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
    case "aws:apigatewayv2/api:Api": {
      const apiId = stableId(physical, 10);
      return {
        ...base,
        id: apiId,
        arn: `arn:aws:apigateway:${region}::/apis/${apiId}`,
        apiEndpoint: `https://${apiId}.execute-api.${region}.amazonaws.com`,
        executionArn: `arn:aws:execute-api:${region}:${accountId}:${apiId}`,
      };
    }
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
export function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Promise) return undefined;
  if (Array.isArray(value)) return value.map(plain);
  const out: Inputs = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = plain(item);
  }
  return out;
}
