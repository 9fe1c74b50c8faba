import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { LocalClock } from "../clock";
import { createLocalClock } from "../clock";
import type { RequestGate } from "../iam";
import type { Mailbox } from "../mailbox";
import { close, guarded, listen } from "../net";
import type { UserPoolSpec } from "../spec";
import { type InvokeFunction, PoolRegistry, type Services } from "./context";
import { CognitoError } from "./errors";
import { readCall, sendError, sendJson, sendPreflight } from "./http";
import { PoolKeys } from "./keys";
import { adminOperations } from "./operations/admin";
import { authOperations } from "./operations/auth";
import { describeOperations } from "./operations/describe";
import { groupOperations } from "./operations/groups";
import { listUsersOperations } from "./operations/list-users";
import { mfaOperations } from "./operations/mfa";
import { selfServiceOperations } from "./operations/self-service";
import { signUpOperations } from "./operations/sign-up";
import { webAuthnOperations } from "./operations/webauthn";
import { Pool } from "./pool";
import { Store } from "./store";
import { issuerOf } from "./tokens";
import type { TriggerFailures } from "./trigger-failures";

export type { InvokeFunction, TriggerCaller } from "./context";
export { SUPPORTED_TRIGGERS, unsupportedFeatures, unsupportedTriggers } from "./support";

export interface UserPoolsOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where the pools' data (LevelDB) and signing keys are kept between runs. */
  dataDir: string;
  region: string;
  accountId: string;
  pools: UserPoolSpec[];
  /** Calls a trigger's function in process (the local Lambda service). */
  invoke: InvokeFunction;
  mailbox: Mailbox;
  clock?: LocalClock;
  log?: (line: string) => void;
  /** Runs before the pools see a request (the local IAM check). */
  gate?: RequestGate;
  /** Upcoming Post confirmation attempts to fail on purpose (the local control sets them). */
  triggerFailures?: TriggerFailures;
  /** How long one trigger attempt may take; Cognito's fixed limit is 5 s. */
  triggerTimeoutMs?: number;
}

export interface UserPools {
  endpoint: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, as AWS's tokens carry it. */
  issuer(poolId: string): string;
  /** The pool's JWKS, served locally at `<endpoint>/<poolId>/.well-known/jwks.json`. */
  jwksUrl(poolId: string): string;
  /** Serves these pools from now on: new ones are created, settings re-applied, data kept. */
  update(pools: UserPoolSpec[]): Promise<void>;
  stop(): Promise<void>;
}

type Operation = (services: Services, request: Record<string, unknown>) => Promise<unknown>;

const OPERATIONS: Record<string, Operation> = {
  ...signUpOperations,
  ...adminOperations,
  ...selfServiceOperations,
  ...authOperations,
  ...describeOperations,
  ...listUsersOperations,
  ...groupOperations,
  ...mfaOperations,
  ...webAuthnOperations,
};

/** Where a pool's private signing keys live (tests that forge tokens read them there). */
export const keysDirectory = (dataDir: string) => join(dataDir, "keys");

function publicHost(host: string) {
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return reachable.includes(":") ? `[${reachable}]` : reachable;
}

/**
 * The local Cognito user pools: every pool the spec declares, served on one
 * endpoint with Cognito's JSON 1.1 API, each with its own users, clients,
 * triggers and signing keys, its JWKS and OpenID configuration. What each
 * pool does comes from its UserPoolSpec; docs/local-fidelity.md lists each
 * behaviour against AWS's documentation.
 */
export async function startUserPools(options: UserPoolsOptions): Promise<UserPools> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const store = await Store.open(join(options.dataDir, "store"));
  const registry = new PoolRegistry();
  const services: Services = {
    region: options.region,
    accountId: options.accountId,
    clock: options.clock ?? createLocalClock(),
    mailbox: options.mailbox,
    log,
    invoke: options.invoke,
    triggerFailures: options.triggerFailures,
    triggerTimeoutMs: options.triggerTimeoutMs ?? 5_000,
    pools: registry,
  };

  const update = async (specs: UserPoolSpec[]) => {
    const now = services.clock.now().getTime();
    const wanted = new Set(specs.map((spec) => spec.id));
    for (const pool of registry.all()) if (!wanted.has(pool.id)) registry.remove(pool.id);
    for (const spec of specs) {
      const existing = registry.all().find((pool) => pool.id === spec.id);
      if (existing) {
        existing.spec = spec;
        continue;
      }
      const keys = await PoolKeys.load(keysDirectory(options.dataDir), spec.id);
      registry.set(await Pool.open(spec, store, keys, now));
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === "OPTIONS") return sendPreflight(request, response);
    if (request.method === "GET") return serveWellKnown(request, response);
    if (request.method !== "POST") {
      request.resume();
      return sendError(
        response,
        new CognitoError("UnknownOperationException", "Unknown operation"),
      );
    }
    try {
      const { operation, body } = await readCall(request);
      const run = OPERATIONS[operation];
      if (!run) {
        throw new CognitoError(
          "UnsupportedOperationException",
          `${operation} is not emulated by the local user pool.`,
        );
      }
      sendJson(response, 200, (await run(services, body)) ?? {});
    } catch (error) {
      if (error instanceof CognitoError) return sendError(response, error);
      if ((error as NodeJS.ErrnoException).code === "ECONNRESET") return;
      log(`cognito: request failed: ${(error as Error).stack ?? String(error)}`);
      sendError(
        response,
        new CognitoError("InternalErrorException", "An internal error occurred.", 500),
      );
    }
  };

  const serveWellKnown = (request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const match = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(
      (request.url ?? "").split("?")[0] ?? "",
    );
    const pool = match ? registry.all().find((p) => p.id === match[1]) : undefined;
    if (!match || !pool) {
      return sendJson(response, 404, { message: "Not Found" }, "application/json");
    }
    if (match[2] === "jwks.json")
      return sendJson(response, 200, pool.keys.jwks(), "application/json");
    return sendJson(
      response,
      200,
      {
        issuer: issuerOf(services, pool.id),
        jwks_uri: `${endpoint}/${pool.id}/.well-known/jwks.json`,
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "token"],
        scopes_supported: ["openid", "email", "phone", "profile"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      },
      "application/json",
    );
  };

  const gate: RequestGate = options.gate ?? ((request, _response, next) => next(request));
  const server = createServer(
    guarded(
      (request, response) => gate(request, response, (passed) => handle(passed, response)),
      (error) => log(`cognito: request failed: ${String(error)}`),
    ),
  );
  let endpoint: string;
  try {
    await update(options.pools);
    const port = await listen(server, options.port, host, "LOCAL_COGNITO_PORT");
    endpoint = `http://${publicHost(host)}:${port}`;
  } catch (error) {
    await store.close();
    throw error;
  }

  return {
    endpoint,
    issuer: (poolId) => issuerOf(services, poolId),
    jwksUrl: (poolId) => `${endpoint}/${poolId}/.well-known/jwks.json`,
    update,
    async stop() {
      await close(server);
      await store.close();
    },
  };
}
