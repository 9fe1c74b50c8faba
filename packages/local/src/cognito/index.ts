import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DefaultConfig } from "cognito-local/lib/server/config.js";
import type { Route } from "cognito-local/lib/server/Router.js";
import { Router } from "cognito-local/lib/server/Router.js";
import { createServer } from "cognito-local/lib/server/server.js";
import { CognitoServiceFactoryImpl } from "cognito-local/lib/services/cognitoService.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { Services } from "cognito-local/lib/services/index.js";
import type { Messages } from "cognito-local/lib/services/messages.js";
import type { Triggers } from "cognito-local/lib/services/triggers/triggers.js";
import { createLocalClock, type LocalClock } from "../clock";
import type { RequestGate } from "../iam";
import type { Mailbox, MailKind } from "../mailbox";
import { close, guarded, listen } from "../net";
import type { CognitoTrigger } from "../spec";
import { accountTargets } from "./account";
import { authTargets } from "./auth";
import { newCode } from "./codes";
import { JsonFileDataStoreFactory } from "./data-store";
import { listUsersTarget } from "./list-users";
import { ensurePool } from "./pool";
import { PoolStates } from "./pool-state";
import { postConfirmationTrigger, type TriggerFailures } from "./post-confirmation";
import { SessionTokens } from "./sessions";
import { signOutTargets } from "./sign-out";
import { CaseInsensitiveUserPoolFactory } from "./user-pool";

/** The triggers the local pool runs; the planner refuses a pool that sets any other. */
export const SUPPORTED_TRIGGERS: ReadonlySet<CognitoTrigger> = new Set(["PostConfirmation"]);

export interface CognitoEmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where the pool's data is kept between runs. */
  dataDir: string;
  /** Put into trigger events as on AWS. */
  region: string;
  /** Base URL of a Lambda Invoke API, e.g. http://127.0.0.1:9001. */
  lambdaEndpoint: string;
  postConfirmationFunction: string;
  mailbox: Mailbox;
  log?: (line: string) => void;
  /** How long one trigger attempt may take; Cognito's fixed limit is 5 s. */
  triggerTimeoutMs?: number;
  /** The local notion of now (code expiry, token times); real time by default. */
  clock?: LocalClock;
  /** Upcoming PostConfirmation attempts to fail on purpose (the local control sets them). */
  triggerFailures?: TriggerFailures;
  /** Runs before the pool sees a request (the local IAM check). */
  gate?: RequestGate;
}

export interface CognitoEmulator {
  endpoint: string;
  userPoolId: string;
  userPoolClientId: string;
  issuer: string;
  jwksUrl: string;
  stop(): Promise<void>;
}

const MAIL_KINDS: Record<Parameters<Messages["deliver"]>[1], MailKind> = {
  SignUp: "signup",
  ResendCode: "resend",
  ForgotPassword: "forgot-password",
  UpdateUserAttribute: "verify-attribute",
  VerifyUserAttribute: "verify-attribute",
  AdminCreateUser: "temporary-password",
  Authentication: "mfa",
};

/** cognito-local's server logs through pino; resolve the copy it depends on. */
function createLogger(log: (line: string) => void) {
  const require = createRequire(
    createRequire(import.meta.url).resolve("cognito-local/package.json"),
  );
  const pino = require("pino") as (
    options: object,
    stream: { write(line: string): void },
  ) => Context["logger"];
  return pino(
    { level: "error", base: undefined, timestamp: false },
    {
      write(line: string) {
        try {
          const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
          log(`cognito: ${entry.msg ?? ""}${entry.err?.message ? ` (${entry.err.message})` : ""}`);
        } catch {
          log(`cognito: ${line.trim()}`);
        }
      },
    },
  );
}

function publicHost(host: string) {
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return reachable.includes(":") ? `[${reachable}]` : reachable;
}

/**
 * cognito-local 5.3.0 assembled from its own modules, with the gaps that
 * matter here filled: USER_SRP_AUTH, a PostConfirmation trigger that behaves
 * like AWS's, email verification on confirmation, ResendConfirmationCode,
 * GetTokensFromRefreshToken, token revocation and global sign-out, codes with
 * a purpose, a lifetime and attempt limits, masked delivery details, answers
 * that don't reveal whether a user exists, case-insensitive usernames, the
 * pool's password policy and allowed flows, ListUsers paging, codes delivered
 * to the mailbox, and data files that survive concurrency.
 * docs/local-fidelity.md lists each behaviour against AWS's documentation.
 */
export async function startCognito(options: CognitoEmulatorOptions): Promise<CognitoEmulator> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));

  let handle = (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(503).end();
  };
  const gate: RequestGate = options.gate ?? ((request, _response, next) => next(request));
  const server = createHttpServer(
    guarded(
      (request, response) => gate(request, response, (passed) => handle(passed, response)),
      (error) => log(`cognito: request failed: ${String(error)}`),
    ),
  );
  const port = await listen(server, options.port, host, "LOCAL_COGNITO_PORT");
  const endpoint = `http://${publicHost(host)}:${port}`;

  try {
    const logger = createLogger(log);
    const ctx: Context = { logger };
    const localClock = options.clock ?? createLocalClock();
    const clock = { get: () => localClock.now() };
    const dataDirectory = join(options.dataDir, "db");
    const dataStores = new JsonFileDataStoreFactory(dataDirectory);
    // Not beside the pool files: cognito-local takes every .json there for a pool.
    const states = new PoolStates(new JsonFileDataStoreFactory(join(options.dataDir, "sessions")));
    const cognito = await new CognitoServiceFactoryImpl(
      dataDirectory,
      dataStores,
      new CaseInsensitiveUserPoolFactory(clock, dataStores),
    ).create(ctx, { UsernameAttributes: ["email"] });

    const triggers: Triggers = {
      enabled: (trigger) => trigger === "PostConfirmation",
      postConfirmation: postConfirmationTrigger({
        region: options.region,
        lambdaEndpoint: options.lambdaEndpoint.replace(/\/+$/, ""),
        functionName: options.postConfirmationFunction,
        timeoutMs: options.triggerTimeoutMs ?? 5_000,
        cognito: () => cognito,
        log,
        ...(options.triggerFailures ? { failures: options.triggerFailures } : {}),
      }),
      customMessage: notConfigured,
      customEmailSender: notConfigured,
      postAuthentication: notConfigured,
      preSignUp: notConfigured,
      preTokenGeneration: notConfigured,
      userMigration: notConfigured,
    };
    const messages: Messages = {
      async deliver(_ctx, source, _clientId, _userPoolId, _user, code, _metadata, details) {
        options.mailbox.record({ to: details.Destination, kind: MAIL_KINDS[source], code });
      },
    };
    const config = {
      ...DefaultConfig,
      TriggerFunctions: { PostConfirmation: options.postConfirmationFunction },
      TokenConfig: { IssuerDomain: endpoint },
      ServerConfig: { port, hostname: host, development: false, https: false as const },
    };
    const tokens = new SessionTokens({
      clock,
      issuerDomain: endpoint,
      states,
      cognito: () => cognito,
    });
    const services: Services = {
      clock,
      cognito,
      config,
      messages,
      otp: newCode,
      tokenGenerator: tokens,
      triggers,
    };

    const { userPoolId, clientId } = await ensurePool(ctx, services);
    await states.of(userPoolId);

    const delegate = Router(services);
    const account = accountTargets(services, delegate);
    const overrides: Record<string, Route> = {
      ...authTargets(services, delegate, tokens, states),
      ...account,
      ...signOutTargets(services, delegate, tokens, account),
      ...listUsersTarget(delegate),
    };
    const { application } = createServer(
      (target) => overrides[target] ?? delegate(target),
      logger as unknown as Parameters<typeof createServer>[1],
      config.ServerConfig,
      services,
    );

    const issuer = `${endpoint}/${userPoolId}`;
    const jwksUrl = `${issuer}/.well-known/jwks.json`;
    const discoveryPath = `/${userPoolId}/.well-known/openid-configuration`;
    handle = (request, response) => {
      // cognito-local's discovery document names localhost:9229 whatever the endpoint.
      if (request.method === "GET" && request.url === discoveryPath) {
        response.writeHead(200, {
          "Content-Type": "application/json",
          "Access-Control-Allow-Origin": "*",
        });
        response.end(
          JSON.stringify({
            issuer,
            jwks_uri: jwksUrl,
            id_token_signing_alg_values_supported: ["RS256"],
          }),
        );
        return;
      }
      application(request, response);
    };

    return {
      endpoint,
      userPoolId,
      userPoolClientId: clientId,
      issuer,
      jwksUrl,
      async stop() {
        await close(server);
        await Promise.all([dataStores.flush(), states.flush()]);
      },
    };
  } catch (error) {
    await close(server);
    throw error;
  }
}

function notConfigured(): Promise<never> {
  return Promise.reject(new Error("This trigger is not configured in the local pool"));
}
