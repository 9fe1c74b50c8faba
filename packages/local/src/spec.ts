/**
 * What the local stack serves, read from one offline evaluation of the app's sst.config.ts
 * (see plan/). Every value here comes from the resources that evaluation recorded: the
 * emulators know nothing about any particular app. Names, ids and ARNs are the ones the
 * evaluation computed for the local stage, so links, environment variables and policies that
 * name them need no rewriting.
 */

/** Where a resource comes from in sst.config.ts, for messages: its SST component and name. */
export interface Origin {
  /** The SST component type, e.g. `sst:aws:Dynamo`, or the Pulumi type of a raw resource. */
  component: string;
  /** The name given in sst.config.ts / infra/, e.g. `Users`. */
  name: string;
}

export interface LocalApp {
  app: { name: string; stage: string };
  region: string;
  accountId: string;
  functions: FunctionSpec[];
  tables: TableSpec[];
  userPools: UserPoolSpec[];
  httpApis: HttpApiSpec[];
  sites: SiteSpec[];
  /** What `run()` returned, as deployed values (URLs are replaced by local ones at start). */
  outputs: Record<string, unknown>;
  /** Recorded resources with no local effect (log groups, alarms, the CDN in front of a site…). */
  ignored: IgnoredResource[];
}

export interface IgnoredResource {
  type: string;
  name: string;
  origin: Origin;
  /** Why it has no local effect, e.g. "CloudWatch alarms do not fire locally". */
  reason: string;
}

// ─── Lambda ────────────────────────────────────────────────────────────────────────────────

export interface FunctionSpec {
  /** The function's physical name, as in its ARN. */
  name: string;
  arn: string;
  origin: Origin;
  /** SST handler string relative to the project root: `path/to/file.exportName`. */
  handler: string;
  /** Lambda runtime, e.g. `nodejs24.x`; decides the build target. */
  runtime: string;
  timeoutSeconds: number;
  memoryMB: number;
  /** The function's environment, links included as `SST_RESOURCE_<Name>` (JSON), `App` too. */
  environment: Record<string, string>;
  /** The `nodejs` build properties SST passes to its builder (minify, loader, esbuild…). */
  buildProperties: Record<string, unknown>;
  role: RoleSpec;
  /** Its resource-based policy (aws:lambda/permission): who else may invoke it. */
  invokePermissions: InvokePermission[];
}

export interface RoleSpec {
  arn: string;
  name: string;
  /** Inline policy statements; managed policies are listed apart. */
  statements: PolicyStatement[];
  managedPolicyArns: string[];
}

export interface PolicyStatement {
  effect: "Allow" | "Deny";
  actions: string[];
  resources: string[];
}

export interface InvokePermission {
  /** e.g. `cognito-idp.amazonaws.com`, `apigateway.amazonaws.com`, or an account/role ARN. */
  principal: string;
  action: string;
  /** When set, the calling resource's ARN must match it (wildcards allowed). */
  sourceArn?: string;
}

// ─── DynamoDB ──────────────────────────────────────────────────────────────────────────────

export type KeyType = "S" | "N" | "B";
export type ProjectionType = "ALL" | "KEYS_ONLY" | "INCLUDE";

export interface TableSpec {
  /** The table's physical name; the local table has the same name. */
  name: string;
  arn: string;
  origin: Origin;
  /** The key attributes of the table and its indexes, with their types. */
  attributes: { name: string; type: KeyType }[];
  hashKey: string;
  rangeKey?: string;
  globalSecondaryIndexes: {
    name: string;
    hashKey: string;
    rangeKey?: string;
    projectionType: ProjectionType;
    nonKeyAttributes?: string[];
  }[];
  localSecondaryIndexes: {
    name: string;
    rangeKey: string;
    projectionType: ProjectionType;
    nonKeyAttributes?: string[];
  }[];
  /** DynamoDB Time to Live: the Number attribute (epoch seconds) after which an item expires. */
  timeToLive?: { attributeName: string };
}

// ─── Cognito user pools ────────────────────────────────────────────────────────────────────

/** LambdaConfig keys, as Cognito's API names them. */
export type CognitoTrigger =
  | "PreSignUp"
  | "PostConfirmation"
  | "PreAuthentication"
  | "PostAuthentication"
  | "PreTokenGeneration"
  | "CustomMessage"
  | "DefineAuthChallenge"
  | "CreateAuthChallenge"
  | "VerifyAuthChallengeResponse"
  | "UserMigration"
  | "CustomEmailSender"
  | "CustomSMSSender";

export interface SchemaAttribute {
  /** `given_name`, or `custom:tier` for a custom attribute. */
  name: string;
  dataType: "String" | "Number" | "DateTime" | "Boolean";
  mutable: boolean;
  required: boolean;
  developerOnly: boolean;
  stringConstraints?: { minLength?: number; maxLength?: number };
  numberConstraints?: { minValue?: number; maxValue?: number };
}

export interface UserPoolSpec {
  /** AWS-shaped: `<region>_<9 characters>`. */
  id: string;
  arn: string;
  name: string;
  origin: Origin;
  /** Sign-in with these instead of a username (the username is then the `sub`). */
  usernameAttributes: ("email" | "phone_number")[];
  aliasAttributes: ("email" | "phone_number" | "preferred_username")[];
  usernameCaseSensitive: boolean;
  autoVerifiedAttributes: ("email" | "phone_number")[];
  passwordPolicy: {
    minimumLength: number;
    requireLowercase: boolean;
    requireUppercase: boolean;
    requireNumbers: boolean;
    requireSymbols: boolean;
    temporaryPasswordValidityDays: number;
    passwordHistorySize?: number;
  };
  /** Custom attributes and standard ones whose settings the pool overrides. */
  schema: SchemaAttribute[];
  /** Trigger → the physical name of the function Cognito invokes. */
  triggers: Partial<Record<CognitoTrigger, string>>;
  /** The Pre token generation event version: `V1_0`, `V2_0` or `V3_0`. */
  preTokenGenerationVersion?: "V1_0" | "V2_0" | "V3_0";
  mfaConfiguration: "OFF" | "ON" | "OPTIONAL";
  softwareTokenMfaEnabled: boolean;
  deletionProtection: "ACTIVE" | "INACTIVE";
  userPoolTier: "LITE" | "ESSENTIALS" | "PLUS";
  /** Choice-based sign-in: the factors USER_AUTH may start with (PASSWORD, EMAIL_OTP, WEB_AUTHN…). */
  allowedFirstAuthFactors?: string[];
  webAuthn?: { relyingPartyId?: string; userVerification: "required" | "preferred" };
  accountRecovery: { name: string; priority: number }[];
  email: { sendingAccount: "COGNITO_DEFAULT" | "DEVELOPER"; from?: string; sourceArn?: string };
  /** Attributes whose new value takes effect only once verified. */
  attributesRequireVerificationBeforeUpdate: string[];
  allowAdminCreateUserOnly: boolean;
  clients: UserPoolClientSpec[];
}

export interface UserPoolClientSpec {
  /** AWS-shaped: 26 lower-case letters and digits. */
  id: string;
  name: string;
  origin: Origin;
  /** `ALLOW_USER_SRP_AUTH`, …; empty means Cognito's default (refresh, SRP, custom). */
  explicitAuthFlows: string[];
  /** Set when the client has a secret (then callers must send SECRET_HASH). */
  secret?: string;
  preventUserExistenceErrors: "ENABLED" | "LEGACY";
  enableTokenRevocation: boolean;
  /** Token lifetimes in `tokenValidityUnits` (Cognito's defaults when absent). */
  accessTokenValidity?: number;
  idTokenValidity?: number;
  refreshTokenValidity?: number;
  tokenValidityUnits: { accessToken?: string; idToken?: string; refreshToken?: string };
  /** How long a sign-in session (challenge) lasts, in minutes (3 by default). */
  authSessionValidityMinutes?: number;
  /** Attributes the client may read / write; absent means all. */
  readAttributes?: string[];
  writeAttributes?: string[];
}

// ─── API Gateway HTTP APIs ─────────────────────────────────────────────────────────────────

export interface HttpApiSpec {
  id: string;
  name: string;
  origin: Origin;
  /** `https://<id>.execute-api.<region>.amazonaws.com`: what links and outputs hold. */
  deployedUrl: string;
  cors?: {
    allowOrigins: string[];
    allowMethods: string[];
    allowHeaders: string[];
    exposeHeaders: string[];
    maxAgeSeconds?: number;
    allowCredentials: boolean;
  };
  routes: HttpRouteSpec[];
}

export interface HttpRouteSpec {
  /** `GET /items/{id}`, `ANY /files/{proxy+}`, `$default`… */
  routeKey: string;
  /** The physical name of the function its Lambda proxy integration invokes. */
  functionName: string;
  payloadFormatVersion: "1.0" | "2.0";
  /** Absent: the route is open (authorizationType NONE). */
  authorizer?: JwtAuthorizerSpec;
  /** Scopes the token must carry one of (route `authorizationScopes`). */
  authorizationScopes?: string[];
  /**
   * The integration's `timeoutInMillis` (50 to 30,000; API Gateway's default, 30,000, when
   * absent): past it the client gets 503 while the function may still run.
   */
  integrationTimeoutMs?: number;
}

export interface JwtAuthorizerSpec {
  name: string;
  issuer: string;
  audiences: string[];
  /** e.g. `$request.header.Authorization`. */
  identitySources: string[];
}

// ─── Static sites ──────────────────────────────────────────────────────────────────────────

export interface SiteSpec {
  name: string;
  origin: Origin;
  /** The site's folder, relative to the project root. */
  directory: string;
  /** What `sst dev` would run there, e.g. `pnpm run dev`. */
  command: string;
  /** The URL the dev server answers on, as declared (`dev.url`). */
  url?: string;
  /** The site's build-time environment (VITE_… values), as deployed values. */
  environment: Record<string, string>;
}
