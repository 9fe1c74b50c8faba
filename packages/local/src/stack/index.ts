/**
 * The local stack: whatever sst.config.ts declares for the local stage, served on this
 * machine. The app is evaluated offline (sst-offline), planned (plan/) and each planned
 * service started; saving an infra file re-plans and applies the change (reload.ts).
 */
import { mkdir } from "node:fs/promises";
import { writeResourceTypes } from "@userprofile/sst-offline/resource-types";
import { createLocalClock, type LocalClock } from "../clock";
import { startUserPools } from "../cognito/index";
import { createTriggerFailures } from "../cognito/trigger-failures";
import type { LocalConfig } from "../config";
import { startControlServer } from "../control";
import { cognitoGate, LocalIam } from "../iam";
import { startLambda } from "../lambda/index";
import { TrustedOrigins } from "../local-safety";
import { Mailbox, startMailboxServer } from "../mailbox";
import {
  type LocalOutputs,
  removeOwnOutputsSync,
  replaceStaleOutputs,
  writeOutputs,
} from "../outputs-file";
import { describeIgnored, localize } from "../plan/index";
import type { LocalApp } from "../spec";
import { type LoadedApp, loadApp } from "./app";
import { startHttpApis } from "./http-apis";
import { watchInfra } from "./reload";
import { deployFunctions, type Log, type Stop, startSite, startTables } from "./services";

export { EvaluationError, UnservableAppError } from "./app";
export type { LocalOutputs };

export interface LocalStack {
  outputs: LocalOutputs;
  /** What the stack serves, as planned from sst.config.ts (deployed values, not local ones). */
  app: LocalApp;
  /** The stack's notion of now, which the control moves; everything that checks time reads it. */
  clock: LocalClock;
  /**
   * Resolves when every function's bundle is built. The stack is ready before
   * that (a first call waits for its build); tests wait, so that a build on a
   * busy machine does not eat into Cognito's 5-second trigger window, which on
   * AWS starts with the function already deployed.
   */
  functionsBuilt(): Promise<void>;
  /** A deployed URL (an API's, a site's) as the local stack serves it; other values unchanged. */
  localUrl(deployed: string): string;
  /** Re-evaluates sst.config.ts now and applies what changed (what saving an infra file does). */
  reload(): Promise<unknown>;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  log?: Log;
  /**
   * Changes the planned app before anything starts, e.g. a function's environment or a
   * role's statements. Tests use it to inject faults (an unreachable endpoint, a missing grant).
   */
  transform?: (app: LocalApp) => void;
}

/**
 * Starts everything sst.config.ts declares for the local stage. Whatever started is
 * stopped again if a later part fails.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: LocalStackOptions = {},
): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  // Vite is the largest import; loading it now overlaps with the evaluation and the emulators.
  if (config.web) import("vite").catch(() => {});
  const outputsPath = config.outputsFile;
  if (outputsPath) await replaceStaleOutputs(outputsPath);
  await mkdir(config.dataDir, { recursive: true });
  const stops: Stop[] = [];
  const stop = async () => {
    if (outputsPath) removeOwnOutputsSync(outputsPath);
    await Promise.allSettled(stops.splice(0).map((stopPart) => stopPart()));
  };

  try {
    const loaded = await loadApp(config);
    logLoaded(config, loaded, log);
    const app = loaded.app;
    options.transform?.(app);
    let current = app;
    const { host } = config;
    const clock = createLocalClock();
    // Each function signs with its own key and may do only what its role allows; any other
    // key (tests, tools) keeps full access.
    const iam = new LocalIam(app.accountId);

    // The local web app's pages, once its dev server runs: the only ones that may call the
    // pool, DynamoDB and the mailbox from a browser.
    const origins = new TrustedOrigins();
    // LOCAL_WEB_PORT's origin even when the stack doesn't run the site (LOCAL_WEB=false, a
    // dev server started by hand); with port 0 only the started server's URL is known.
    if (config.ports.web > 0) origins.add(`http://localhost:${config.ports.web}`);
    const tables = await startTables(config, app, iam, clock, origins, log);
    stops.push(tables.stop);
    const lambda = await startLambda({
      port: config.ports.lambda,
      host,
      root: config.root,
      outDir: config.buildDir,
      region: app.region,
      accountId: app.accountId,
      log,
      iam,
    });
    stops.push(lambda.stop);

    const triggerFailures = createTriggerFailures();
    const mailbox = new Mailbox({ log, now: () => clock.now() });
    const cognito = app.userPools.length
      ? await startUserPools({
          port: config.ports.cognito,
          host,
          dataDir: `${config.dataDir}/cognito`,
          region: app.region,
          accountId: app.accountId,
          pools: app.userPools,
          invoke: (name, event, caller) => lambda.invoke(name, event, caller),
          mailbox,
          log,
          clock,
          triggerFailures,
          gate: cognitoGate(iam, app.region, log),
          origins,
        })
      : undefined;
    if (cognito) stops.push(cognito.stop);
    // A JWT issuer the local stack can verify: one of its pools, named as AWS names it.
    const jwksUrl = (issuer: string) => {
      const pool = current.userPools.find((candidate) => cognito?.issuer(candidate.id) === issuer);
      return pool && cognito?.jwksUrl(pool.id);
    };

    // Deployed values that differ locally: every API's URL and the sites' dev URLs.
    const replacements = new Map<string, string>();
    const apis = await startHttpApis(config, app, {
      lambda,
      jwksUrl,
      localize: (value) => localize(value, replacements),
      clock,
      log,
    });
    stops.push(apis.stop);
    for (const [deployed, local] of apis.urls) replacements.set(deployed, local);

    const mailboxServer = await startMailboxServer(mailbox, {
      port: config.ports.mailbox,
      host,
      origins,
    });
    stops.push(mailboxServer.stop);
    const control = await startControlServer({
      port: config.ports.control,
      clock,
      triggerFailures,
    });
    stops.push(control.stop);

    const endpoints = {
      dynamodb: tables.endpoint,
      lambda: lambda.endpoint,
      ...(cognito ? { cognito: cognito.endpoint } : {}),
    };
    // The function bundles build in esbuild's own process, so the site starts meanwhile.
    const startSites = async () => {
      if (!config.web) return null;
      let url: string | null = null;
      for (const [index, site] of app.sites.entries()) {
        const environment = {
          ...localize(site.environment, replacements),
          // Standard names a site's build reads to reach the emulators instead of AWS.
          ...(cognito ? { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint } : {}),
          LOCAL_MAILBOX_URL: mailboxServer.url,
        };
        const started = await startSite(
          config,
          site,
          environment,
          index === 0 ? config.ports.web : 0,
          log,
        );
        if (!started) continue;
        stops.push(started.stop);
        origins.add(started.url);
        if (site.url) replacements.set(site.url, started.url);
        url ??= started.url;
      }
      return url;
    };
    const [webUrl] = await Promise.all([
      startSites(),
      deployFunctions(lambda, localize(app, replacements), iam, endpoints),
    ]);
    // The sites' local URLs are known now: the APIs' CORS origins follow them.
    await apis.update(app);

    const outputs: LocalOutputs = {
      ...(localize(app.outputs, replacements) as Record<string, unknown>),
      pid: process.pid,
      region: app.region,
      ...(cognito ? { cognitoEndpoint: cognito.endpoint } : {}),
      dynamodbEndpoint: tables.endpoint,
      lambdaEndpoint: lambda.endpoint,
      webUrl,
      mailboxUrl: mailboxServer.url,
      controlUrl: control.url,
    };
    if (outputsPath) await writeOutputs(outputsPath, outputs);

    const reload = async () => {
      const next = await loadApp(config);
      logLoaded(config, next, log);
      options.transform?.(next.app);
      await tables.apply(next.app.tables);
      await cognito?.update(next.app.userPools);
      await apis.update(next.app);
      for (const [deployed, local] of apis.urls) replacements.set(deployed, local);
      await deployFunctions(lambda, localize(next.app, replacements), iam, endpoints);
      current = next.app;
      log(`Applied the change to sst.config.ts (${describeChange(next)}).`);
      return next.evaluation;
    };
    if (config.watchInfra) stops.push(watchInfra(config, loaded.evaluation, reload, log));

    return {
      outputs,
      get app() {
        return current;
      },
      clock,
      localUrl: (deployed) => replacements.get(deployed) ?? deployed,
      functionsBuilt: () => lambda.built(),
      reload,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function describeChange(loaded: LoadedApp) {
  const { app } = loaded;
  return [
    count(app.functions.length, "function"),
    count(app.tables.length, "table"),
    count(app.userPools.length, "user pool"),
    count(app.httpApis.length, "HTTP API"),
  ].join(", ");
}

function count(n: number, noun: string) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function logLoaded(config: LocalConfig, loaded: LoadedApp, log: Log) {
  if (writeResourceTypes(config.root, loaded.evaluation)) {
    log("sst-env.d.ts updated with the types of the app's linkable resources.");
  }
  const how = loaded.cached ? "unchanged since the last evaluation" : "evaluated";
  log(`sst.config.ts ${how} (${Math.round(loaded.milliseconds)} ms): ${describeChange(loaded)}.`);
  for (const line of describeIgnored(loaded.app)) log(`  no local effect: ${line}`);
}
