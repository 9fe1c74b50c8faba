/** One function per emulated service, each started from the planned app. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { LocalClock } from "../clock";
import type { LocalConfig } from "../config";
import { startDynamoDB, tableChangeLines } from "../dynamodb/index";
import { dynamodbAuthorizer, type LocalIam } from "../iam";
import type { LambdaService, LocalFunction } from "../lambda/index";
import type { TrustedOrigins } from "../local-safety";
import type { LocalApp, SiteSpec, TableSpec } from "../spec";
import { startWebDevServer } from "../web";

export type Log = (line: string) => void;
export type Stop = () => Promise<void>;

/**
 * DynamoDB on disk with the app's tables, their indexes and Time to Live, swept by the
 * stack's clock. A change the local table can't take (its keys) fails with what to do.
 */
export async function startTables(
  config: LocalConfig,
  app: LocalApp,
  iam: LocalIam,
  clock: LocalClock,
  origins: TrustedOrigins,
  log: Log,
) {
  const dynamodb = await startDynamoDB({
    origins,
    port: config.ports.dynamodb,
    host: config.host,
    dataDir: join(config.dataDir, "dynamodb"),
    region: app.region,
    accountId: app.accountId,
    authorize: dynamodbAuthorizer(iam, app.region, log),
    log,
    now: () => clock.now(),
  });
  const apply = async (tables: TableSpec[]) => {
    for (const line of tableChangeLines(await dynamodb.applyTables(tables))) log(line);
  };
  try {
    await apply(app.tables);
  } catch (error) {
    await dynamodb.stop();
    throw error;
  }
  return { endpoint: dynamodb.endpoint, apply, stop: dynamodb.stop };
}

/** The AWS endpoints a function's SDK clients reach, as `AWS_ENDPOINT_URL_*` variables. */
export interface LocalEndpoints {
  dynamodb: string;
  cognito?: string;
  lambda: string;
}

/**
 * Each function as the local Lambda service runs it: its own environment and links, the
 * emulators' endpoints (the SDK reads them, so handlers have no "local" branch) and its own
 * credentials, which the local IAM check holds to its role's statements.
 */
export function localFunctions(
  app: LocalApp,
  iam: LocalIam,
  endpoints: LocalEndpoints,
): Record<string, LocalFunction> {
  const functions: Record<string, LocalFunction> = {};
  for (const fn of app.functions) {
    const credentials = iam.addFunction(fn.name, fn.role);
    functions[fn.name] = {
      handler: fn.handler,
      runtime: fn.runtime,
      properties: fn.buildProperties,
      timeoutMs: fn.timeoutSeconds * 1000,
      memoryMB: fn.memoryMB,
      arn: fn.arn,
      label: fn.origin.name,
      invokePermissions: fn.invokePermissions,
      // A function's own variables may point an endpoint elsewhere (as on Lambda); its
      // region and credentials are Lambda's reserved variables and always the stack's.
      environment: {
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
        AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
        ...(endpoints.cognito
          ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito }
          : {}),
        ...fn.environment,
        AWS_REGION: app.region,
        AWS_DEFAULT_REGION: app.region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_SESSION_TOKEN: credentials.sessionToken,
      },
    };
  }
  return functions;
}

export async function deployFunctions(
  lambda: LambdaService,
  app: LocalApp,
  iam: LocalIam,
  endpoints: LocalEndpoints,
) {
  await lambda.deploy(localFunctions(app, iam, endpoints));
}

/**
 * A site's dev server, as `sst dev` runs it beside the functions. A Vite site runs in this
 * process (so it cannot outlive the stack); other dev commands are not run locally yet.
 */
export async function startSite(
  config: LocalConfig,
  site: SiteSpec,
  environment: Record<string, string>,
  port: number,
  log: Log,
): Promise<{ url: string; stop: Stop } | null> {
  const directory = join(config.root, site.directory);
  const vite = ["vite.config.ts", "vite.config.js", "vite.config.mjs"].find((file) =>
    existsSync(join(directory, file)),
  );
  if (!vite) {
    log(
      `web: ${site.name} is not a Vite site; start its dev server yourself (\`${site.command}\` in ${site.directory})`,
    );
    return null;
  }
  const server = await startWebDevServer({
    directory,
    configFile: join(directory, vite),
    port,
    environment,
  });
  return { url: server.url, stop: server.stop };
}
