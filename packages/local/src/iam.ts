import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dynamodbAccess } from "./dynamodb/authorization";
import { readBody } from "./net";
import type { PolicyStatement } from "./spec";

/** The account the local stack evaluates the app in: every local ARN names it. */
export const LOCAL_ACCOUNT_ID = "000000000000";

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

interface Principal {
  functionName: string;
  /** What AWS names a Lambda function's caller: its role session, named after the function. */
  arn: string;
  roleName: string;
  statements: readonly PolicyStatement[];
}

export interface Denial {
  functionName: string;
  action: string;
  resource: string;
  message: string;
}

/**
 * The local stand-in for IAM: each function gets its own access key, and a
 * request signed with it may do only what that function's statements allow,
 * as with a Lambda execution role. Keys it did not issue (tests, tools, the
 * reconcile command) are not checked.
 */
export class LocalIam {
  private readonly principals = new Map<string, Principal>();

  constructor(private readonly accountId = LOCAL_ACCOUNT_ID) {}

  /** Issues the function's credentials; its role's statements replace any earlier ones. */
  addFunction(
    functionName: string,
    role: { name: string; statements: readonly PolicyStatement[] },
  ): FunctionCredentials {
    const accessKeyId = accessKeyIdFor(functionName);
    this.principals.set(accessKeyId, {
      functionName,
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${role.name}/${functionName}`,
      roleName: role.name,
      statements: role.statements,
    });
    return { accessKeyId, secretAccessKey: "local", sessionToken: "local" };
  }

  /** The role a function's key acts as: `arn:aws:iam::<account>:role/<name>`. */
  roleArnOf(accessKeyId: string | undefined): string | undefined {
    const principal = accessKeyId === undefined ? undefined : this.principals.get(accessKeyId);
    return principal && `arn:aws:iam::${this.accountId}:role/${principal.roleName}`;
  }

  /** Whether requests signed with this key are checked at all. */
  governs(accessKeyId: string | undefined): boolean {
    return accessKeyId !== undefined && this.principals.has(accessKeyId);
  }

  /** Null when allowed; otherwise what AWS would answer, naming the first resource refused. */
  check(
    accessKeyId: string | undefined,
    action: string,
    resources: readonly string[],
  ): Denial | null {
    const principal = accessKeyId === undefined ? undefined : this.principals.get(accessKeyId);
    if (!principal) return null;
    for (const resource of resources) {
      const decision = evaluate(principal.statements, action, resource);
      if (decision === "allow") continue;
      return {
        functionName: principal.functionName,
        action,
        resource,
        // The wording of IAM's access-denied messages for an explicit and an implicit deny.
        message:
          decision === "explicit-deny"
            ? `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`
            : `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      };
    }
    return null;
  }
}

/** A stable, AWS-shaped (20 characters, upper case) access key id per function. */
export function accessKeyIdFor(functionName: string): string {
  const digest = createHash("sha256").update(functionName).digest("hex").toUpperCase();
  return `LOCAL${digest.slice(0, 15)}`;
}

/**
 * IAM's evaluation within one account's identity policies: an explicit Deny wins, then any
 * Allow matching both action and resource; otherwise the request is implicitly denied.
 */
export function evaluate(
  statements: readonly PolicyStatement[],
  action: string,
  resource: string,
): "allow" | "explicit-deny" | "implicit-deny" {
  const matching = statements.filter(
    (statement) =>
      // Action names are case-insensitive in IAM; resource ARNs are not.
      statement.actions.some((pattern) => wildcardMatch(pattern, action, "i")) &&
      statement.resources.some((pattern) => wildcardMatch(pattern, resource, "")),
  );
  if (matching.some((statement) => statement.effect === "Deny")) return "explicit-deny";
  return matching.length > 0 ? "allow" : "implicit-deny";
}

export function allows(statements: readonly PolicyStatement[], action: string, resource: string) {
  return evaluate(statements, action, resource) === "allow";
}

function wildcardMatch(pattern: string, value: string, flags: string) {
  const source = pattern
    .split("")
    .map((char) =>
      char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`, flags).test(value);
}

/**
 * The access key id a SigV4 request was signed with: from the Authorization
 * header (`AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`)
 * or a presigned URL's `X-Amz-Credential`. The signature itself is not verified.
 */
export function accessKeyIdOf(request: Pick<IncomingMessage, "headers" | "url">) {
  const header = request.headers.authorization;
  const credential =
    (typeof header === "string" ? /\bCredential\s*=\s*([^,\s]+)/i.exec(header)?.[1] : undefined) ??
    queryCredential(request.url);
  const key = credential?.split("/")[0];
  return key ? key : undefined;
}

/**
 * Whether the request is SigV4-signed (an `AWS4-HMAC-SHA256` Authorization header or a
 * presigned URL) with some access key; the signature itself is not verified.
 */
export function isSigned(request: Pick<IncomingMessage, "headers" | "url">) {
  const header = request.headers.authorization;
  if (header !== undefined && !/^AWS4-HMAC-SHA256\s/i.test(String(header))) return false;
  return accessKeyIdOf(request) !== undefined;
}

function queryCredential(url: string | undefined) {
  try {
    return new URL(url ?? "/", "http://local").searchParams.get("X-Amz-Credential") ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * User-pool operations Cognito does not authorize with IAM: the public ones
 * a client calls unauthenticated or with a user's access token. See
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pools-API-operations.html
 */
const COGNITO_PUBLIC_OPERATIONS = new Set([
  "AssociateSoftwareToken",
  "ChangePassword",
  "CompleteWebAuthnRegistration",
  "ConfirmDevice",
  "ConfirmForgotPassword",
  "ConfirmSignUp",
  "DeleteUser",
  "DeleteUserAttributes",
  "DeleteWebAuthnCredential",
  "ForgetDevice",
  "ForgotPassword",
  "GetDevice",
  "GetTokensFromRefreshToken",
  "GetUser",
  "GetUserAttributeVerificationCode",
  "GetUserAuthFactors",
  "GlobalSignOut",
  "InitiateAuth",
  "ListDevices",
  "ListWebAuthnCredentials",
  "ResendConfirmationCode",
  "RespondToAuthChallenge",
  "RevokeToken",
  "SetUserMFAPreference",
  "SetUserSettings",
  "SignUp",
  "StartWebAuthnRegistration",
  "UpdateAuthEventFeedback",
  "UpdateDeviceStatus",
  "UpdateUserAttributes",
  "VerifySoftwareToken",
  "VerifyUserAttribute",
]);

/** The IAM-authorized user-pool operation a request names, if any. */
export function cognitoOperation(target: string | undefined): string | null {
  const operation = /^AWSCognitoIdentityProviderService\.(\w+)$/.exec(target ?? "")?.[1];
  return operation && !COGNITO_PUBLIC_OPERATIONS.has(operation) ? operation : null;
}

export function cognitoResource(body: unknown, region: string, accountId = LOCAL_ACCOUNT_ID) {
  const poolId = (body as { UserPoolId?: unknown } | null)?.UserPoolId;
  return typeof poolId === "string"
    ? `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`
    : "*";
}

/**
 * Runs in front of an emulator's request handler: `next` continues with the
 * request (whose body may already have been read, see each gate).
 */
export type RequestGate = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (request: IncomingMessage) => void,
) => void | Promise<void>;

/** An AWS JSON-protocol error: its status (400 unless given), `__type` and message. */
export interface AwsJsonError {
  protocol: "1.0" | "1.1";
  status?: number;
  body: { __type: string; message?: string; Message?: string };
}

/**
 * Decides a request to the local DynamoDB once its body is read: null lets it
 * through; a function's request outside its grants gets DynamoDB's
 * AccessDeniedException. Unparseable or unknown requests go on, so the
 * emulator answers them as DynamoDB does.
 */
export function dynamodbAuthorizer(iam: LocalIam, region: string, log: (line: string) => void) {
  return (request: IncomingMessage, body: Buffer): AwsJsonError | null => {
    const accessKeyId = accessKeyIdOf(request);
    if (!iam.governs(accessKeyId)) return null;
    const parsed = parseJson(body);
    const asked = parsed.ok
      ? dynamodbAccess(header(request, "x-amz-target"), parsed.value, region, LOCAL_ACCOUNT_ID)
      : null;
    const denial = asked
      ?.map(({ action, resources }) => iam.check(accessKeyId, action, resources))
      .find((refused) => refused !== null);
    if (!denial) return null;
    log(`iam: ${denial.functionName} was refused ${denial.action}: ${denial.message}`);
    return {
      protocol: "1.0",
      body: { __type: "com.amazon.coral.service#AccessDeniedException", Message: denial.message },
    };
  };
}

/**
 * In front of the user pool's API (`POST /` with `X-Amz-Target`): answers
 * what is not a well-formed call as AWS's JSON 1.1 protocol does (400
 * UnknownOperationException, SerializationException) rather than with
 * Express's HTML error page, and refuses IAM-authorized operations signed
 * with a function's key that its grants don't cover. The parsed body is left
 * as `request.body`, which the pool's Express body parser then keeps.
 */
export function cognitoGate(
  iam: LocalIam,
  region: string,
  log: (line: string) => void,
): RequestGate {
  return async (request, response, next) => {
    const target = header(request, "x-amz-target");
    if (request.method !== "POST" || target === undefined) return next(request);
    const operation = /^AWSCognitoIdentityProviderService\.(\w+)$/.exec(target)?.[1];
    if (!operation) {
      request.resume();
      return sendAwsJsonError(response, {
        protocol: "1.1",
        body: { __type: "UnknownOperationException", message: `Unknown operation ${target}` },
      });
    }
    let body: Buffer;
    try {
      body = await readBody(request, COGNITO_MAX_REQUEST_BYTES);
    } catch {
      request.destroy();
      return;
    }
    const parsed = parseJson(body);
    if (!parsed.ok) {
      return sendAwsJsonError(response, {
        protocol: "1.1",
        body: { __type: "SerializationException", message: "The request body is not valid JSON." },
      });
    }
    const accessKeyId = accessKeyIdOf(request);
    if (!COGNITO_PUBLIC_OPERATIONS.has(operation) && iam.governs(accessKeyId)) {
      const action = `cognito-idp:${operation}`;
      const denial = iam.check(accessKeyId, action, [cognitoResource(parsed.value, region)]);
      if (denial) {
        log(`iam: ${denial.functionName} was refused ${denial.action}: ${denial.message}`);
        return sendAwsJsonError(response, {
          protocol: "1.1",
          body: { __type: "AccessDeniedException", message: denial.message },
        });
      }
    }
    (request as IncomingMessage & { body?: unknown }).body = parsed.value;
    next(request);
  };
}

/** Far above any user-pool request; keeps a runaway body out of memory. */
const COGNITO_MAX_REQUEST_BYTES = 1024 * 1024;

function header(request: IncomingMessage, name: string) {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(body.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

export function sendAwsJsonError(response: ServerResponse, error: AwsJsonError) {
  const body = JSON.stringify(error.body);
  response.writeHead(error.status ?? 400, {
    "content-type": `application/x-amz-json-${error.protocol}`,
    "content-length": Buffer.byteLength(body),
    "x-amzn-errortype": error.body.__type.split("#").at(-1) as string,
    "x-amzn-requestid": randomUUID(),
  });
  response.end(body);
}
