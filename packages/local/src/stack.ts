import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { UserPoolSettings } from "@userprofile/core/user-pool";
import { UsersTable } from "@userprofile/core/users-table";
import {
  type ApiRoute,
  apiRoutes,
  corsAllowHeaders,
  corsAllowMethods,
  devOrigins,
} from "@userprofile/functions/api/routes";
import {
  apiFunctionDefaults,
  type FunctionGrants,
  permissionsFor,
  postConfirmationFunction,
} from "@userprofile/functions/definitions";
import { createLocalClock, type LocalClock } from "./clock";
import { startUserPools } from "./cognito/index";
import { createTriggerFailures } from "./cognito/trigger-failures";
import type { LocalConfig } from "./config";
import { startControlServer } from "./control";
import {
  ensureUsersTable,
  localDynamoDBClient,
  startDynamoDB,
  startExpirySweeper,
} from "./dynamodb";
import { startGateway } from "./gateway";
import { cognitoGate, dynamodbAuthorizer, LOCAL_ACCOUNT_ID, LocalIam } from "./iam";
import { type LocalFunction, startLambda } from "./lambda";
import { Mailbox, startMailboxServer } from "./mailbox";
import {
  type LocalOutputs,
  removeOwnOutputsSync,
  replaceStaleOutputs,
  writeOutputs,
} from "./outputs-file";

export type { LocalOutputs };

import { startWebDevServer } from "./web";

export interface LocalStack {
  outputs: LocalOutputs;
  /** The stack's notion of now, which the control moves; everything that checks time reads it. */
  clock: LocalClock;
  /**
   * Resolves when every function's bundle is built. The stack is ready before
   * that (a first call waits for its build); tests wait, so that a build on a
   * busy machine does not eat into Cognito's 5-second trigger window, which on
   * AWS starts with the function already deployed.
   */
  functionsBuilt(): Promise<void>;
  stop(): Promise<void>;
}

export const POST_CONFIRMATION = "PostConfirmation";
/** AWS deletes expired items within a few days; locally, once at start and then hourly. */
const EXPIRY_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** The local Lambda function serving a route, e.g. `Api-GET-me`. */
export const localFunctionName = (route: ApiRoute) =>
  `Api-${route.method}-${route.path.replace(/\W+/g, "")}`;

/**
 * Starts the whole system on this machine: DynamoDB, the user pool, the
 * functions, the HTTP API, the mailbox and the web dev server. Whatever
 * started is stopped again if a later part fails.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: {
    log?: (line: string) => void;
    /**
     * Extra environment per function name, applied last. Tests use it to
     * inject faults (e.g. an unreachable DynamoDB endpoint for the trigger).
     */
    functionEnvironment?: Record<string, Record<string, string>>;
    /**
     * Replaces a function's grants (by local function name). Tests remove one
     * grant to see the route fail as it would on AWS.
     */
    grants?: Record<string, FunctionGrants>;
  } = {},
): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  // Vite is the largest import; loading it now overlaps with the emulators' start-up I/O.
  const vite = config.web ? import("vite") : undefined;
  vite?.catch(() => {});
  const outputsPath = config.outputsFile;
  if (outputsPath) await replaceStaleOutputs(outputsPath);
  await mkdir(config.dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    if (outputsPath) removeOwnOutputsSync(outputsPath);
    await Promise.allSettled(stops.splice(0).map((stopPart) => stopPart()));
  };

  try {
    const host = config.host;
    // Each function signs with its own key and may do only what its grants
    // allow; any other key (tests, tools) keeps full access.
    const iam = new LocalIam();
    const dynamodb = await startDynamoDB({
      port: config.ports.dynamodb,
      host,
      dataDir: `${config.dataDir}/dynamodb`,
      authorize: dynamodbAuthorizer(iam, config.region, log),
      log,
    });
    let sweeper: ReturnType<typeof startExpirySweeper> | undefined;
    // The sweeper stops before the emulator it scans.
    stops.push(async () => {
      await sweeper?.stop();
      await dynamodb.stop();
    });
    const usersTable = UsersTable.name;
    const client = localDynamoDBClient(dynamodb.endpoint, config.region);
    await ensureUsersTable(client, usersTable);
    client.destroy();

    const clock = createLocalClock();
    sweeper = startExpirySweeper({
      endpoint: dynamodb.endpoint,
      region: config.region,
      tableName: usersTable,
      attribute: UsersTable.timeToLiveAttribute,
      intervalMs: EXPIRY_SWEEP_INTERVAL_MS,
      now: () => clock.now(),
      log,
    });
    const triggerFailures = createTriggerFailures();
    const mailbox = new Mailbox({ log, now: () => clock.now() });
    const lambda = await startLambda({
      port: config.ports.lambda,
      host,
      outDir: config.buildDir,
      region: config.region,
      log,
    });
    stops.push(lambda.stop);
    const environment = (
      name: string,
      grants: FunctionGrants,
      links: Record<string, Record<string, string>>,
    ) => {
      const credentials = iam.addFunction(
        name,
        permissionsFor(options.grants?.[name] ?? grants, {
          table: `arn:aws:dynamodb:${config.region}:${LOCAL_ACCOUNT_ID}:table/${usersTable}`,
          userPool: `arn:aws:cognito-idp:${config.region}:${LOCAL_ACCOUNT_ID}:userpool/${userPoolId}`,
        }),
      );
      return {
        AWS_REGION: config.region,
        AWS_DEFAULT_REGION: config.region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
        SST_RESOURCE_App: JSON.stringify({ name: "userprofile", stage: "local" }),
        ...Object.fromEntries(
          Object.entries(links).map(([name, value]) => [
            `SST_RESOURCE_${name}`,
            JSON.stringify({ ...value, type: "sst.sst.Linkable" }),
          ]),
        ),
      };
    };

    // wired from the planner later: the pool as infra/auth.ts declares it, with AWS-shaped
    // ids derived from its name so they stay the same across restarts.
    const stable = (seed: string, length: number, alphabet: string) =>
      [...createHash("sha256").update(seed).digest()]
        .slice(0, length)
        .map((byte) => alphabet.charAt(byte % alphabet.length))
        .join("");
    const poolName = "userprofile-local";
    const userPoolId = `${config.region}_${stable(poolName, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")}`;
    const userPoolClientId = stable(`${poolName}/web`, 26, "abcdefghijklmnopqrstuvwxyz0123456789");
    const { passwordPolicy, tokenValidity } = UserPoolSettings;
    const cognito = await startUserPools({
      port: config.ports.cognito,
      host,
      dataDir: `${config.dataDir}/cognito`,
      region: config.region,
      accountId: LOCAL_ACCOUNT_ID,
      pools: [
        {
          id: userPoolId,
          arn: `arn:aws:cognito-idp:${config.region}:${LOCAL_ACCOUNT_ID}:userpool/${userPoolId}`,
          name: poolName,
          origin: { component: "sst:aws:CognitoUserPool", name: "Auth" },
          usernameAttributes: [...UserPoolSettings.usernameAttributes],
          aliasAttributes: [],
          usernameCaseSensitive: false,
          autoVerifiedAttributes: ["email"],
          passwordPolicy: { ...passwordPolicy },
          schema: [],
          triggers: { PostConfirmation: POST_CONFIRMATION },
          mfaConfiguration: "OFF",
          softwareTokenMfaEnabled: false,
          deletionProtection: "INACTIVE",
          userPoolTier: "LITE",
          accountRecovery: [{ name: "verified_email", priority: 1 }],
          email: { sendingAccount: "COGNITO_DEFAULT" },
          attributesRequireVerificationBeforeUpdate: [],
          allowAdminCreateUserOnly: false,
          clients: [
            {
              id: userPoolClientId,
              name: "web",
              origin: { component: "sst:aws:CognitoUserPoolClient", name: "WebClient" },
              explicitAuthFlows: [...UserPoolSettings.webClientAuthFlows],
              preventUserExistenceErrors: "ENABLED",
              enableTokenRevocation: true,
              accessTokenValidity: tokenValidity.accessTokenMinutes,
              idTokenValidity: tokenValidity.idTokenMinutes,
              refreshTokenValidity: tokenValidity.refreshTokenDays,
              tokenValidityUnits: {
                accessToken: "minutes",
                idToken: "minutes",
                refreshToken: "days",
              },
            },
          ],
        },
      ],
      invoke: (name, event, caller) => lambda.invoke(name, event, caller),
      mailbox,
      log,
      clock,
      triggerFailures,
      gate: cognitoGate(iam, config.region, log),
    });
    stops.push(cognito.stop);

    const functions: Record<string, LocalFunction> = {
      [POST_CONFIRMATION]: {
        handler: postConfirmationFunction.handler,
        timeoutMs: postConfirmationFunction.timeoutSeconds * 1000,
        environment: environment(POST_CONFIRMATION, postConfirmationFunction.grants, {
          UsersTable: { name: usersTable },
        }),
      },
    };
    for (const route of apiRoutes) {
      const name = localFunctionName(route);
      functions[name] = {
        handler: route.handler,
        timeoutMs: apiFunctionDefaults.timeoutSeconds * 1000,
        environment: environment(name, route.grants, {
          UsersTable: { name: usersTable },
          UserPool: { id: userPoolId },
        }),
      };
    }
    for (const name of Object.keys(options.grants ?? {})) {
      if (!functions[name]) throw new Error(`No local function named ${name}`);
    }
    for (const [name, extra] of Object.entries(options.functionEnvironment ?? {})) {
      const definition = functions[name];
      if (!definition) throw new Error(`No local function named ${name}`);
      definition.environment = { ...definition.environment, ...extra };
    }
    const mailboxServer = await startMailboxServer(mailbox, { port: config.ports.mailbox, host });
    stops.push(mailboxServer.stop);
    const control = await startControlServer({
      port: config.ports.control,
      clock,
      triggerFailures,
    });
    stops.push(control.stop);

    const gateway = await startGateway({
      port: config.ports.api,
      host,
      routes: apiRoutes,
      functionFor: localFunctionName,
      lambda,
      jwt: {
        issuer: cognito.issuer(userPoolId),
        jwksUrl: cognito.jwksUrl(userPoolId),
        audiences: [userPoolClientId],
      },
      now: () => clock.now(),
      log,
      cors: {
        allowOrigins: [...devOrigins, `http://localhost:${config.ports.web}`],
        allowMethods: corsAllowMethods,
        allowHeaders: corsAllowHeaders,
        maxAgeSeconds: 3600,
      },
    });
    stops.push(gateway.stop);

    // The function bundles build in esbuild's own process, so Vite starts on
    // the other core meanwhile.
    const startWeb = async () => {
      if (!config.web) return null;
      const web = await startWebDevServer({
        port: config.ports.web,
        vite,
        environment: {
          VITE_REGION: config.region,
          VITE_USER_POOL_ID: userPoolId,
          VITE_USER_POOL_CLIENT_ID: userPoolClientId,
          VITE_API_URL: gateway.url,
          VITE_COGNITO_ENDPOINT: cognito.endpoint,
          VITE_MAILBOX_URL: mailboxServer.url,
        },
      });
      stops.push(web.stop);
      return web.url;
    };
    const [webUrl] = await Promise.all([startWeb(), lambda.deploy(functions)]);

    const outputs: LocalOutputs = {
      pid: process.pid,
      region: config.region,
      userPoolId,
      userPoolClientId,
      cognitoEndpoint: cognito.endpoint,
      dynamodbEndpoint: dynamodb.endpoint,
      usersTable,
      apiUrl: gateway.url,
      webUrl,
      mailboxUrl: mailboxServer.url,
      controlUrl: control.url,
    };
    if (outputsPath) await writeOutputs(outputsPath, outputs);
    return { outputs, clock, functionsBuilt: () => lambda.built(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
