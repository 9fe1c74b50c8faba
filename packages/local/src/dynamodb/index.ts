import { createServer, type IncomingMessage } from "node:http";
import type { AwsJsonError } from "../iam";
import { type PortAccess, protectServer, TrustedOrigins } from "../local-safety";
import { close, listen } from "../net";
import type { TableSpec } from "../spec";
import { callback, db } from "./dynalite";
import { ClientTokens } from "./idempotency";
import { serve } from "./operations";
import { dynamodbFront } from "./server";
import { applyTables, type TableChanges } from "./tables";
import { TimeToLive } from "./time-to-live";

export { type DynamoDBAccess, dynamodbAccess } from "./authorization";
export { localCredentials, localDynamoDBClient } from "./client";
export { TableChangeError, type TableChanges, tableChangeLines } from "./tables";

export interface DynamoDBEmulatorOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where LevelDB keeps the tables; in memory when absent. */
  dataDir?: string;
  /** Put into table ARNs; us-east-1 and 000000000000 by default. */
  region?: string;
  accountId?: string;
  /** The local IAM check, run on each request once its body is read. */
  authorize?: (request: IncomingMessage, body: Buffer) => AwsJsonError | null;
  log?: (line: string) => void;
  /** The stack's clock: Time to Live and client request tokens expire by it. */
  now?: () => Date;
  /** Expired items are swept at start, then this often (hourly by default). */
  sweepIntervalMs?: number;
  /** The pages that may call it (the local web app's); none by default. */
  origins?: PortAccess["origins"];
}

export interface DynamoDBEmulator {
  endpoint: string;
  /** Creates and updates the declared tables (see tables.ts); rejects with TableChangeError. */
  applyTables(tables: TableSpec[]): Promise<TableChanges>;
  /** Deletes the expired items of every table with Time to Live now; resolves with how many. */
  sweepExpiredItems(): Promise<number>;
  stop(): Promise<void>;
}

/** AWS deletes expired items within a few days; locally, at start and then hourly. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * DynamoDB on this machine: dynalite 4.0.0's store (LevelDB, on disk when `dataDir` is given),
 * validations and item operations, run in-process behind our own HTTP front, which adds what
 * dynalite lacks: transactions, `ReturnValuesOnConditionCheckFailure`, Time to Live, tables
 * and indexes from the app's declarations, and named errors for operations not emulated.
 */
export async function startDynamoDB(options: DynamoDBEmulatorOptions): Promise<DynamoDBEmulator> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const store = db.create({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  store.tableDb.awsRegion = options.region ?? "us-east-1";
  store.tableDb.awsAccountId = options.accountId ?? "000000000000";
  const pending = new Set<Promise<unknown>>();
  const context = {
    store,
    ttl: new TimeToLive(store, now),
    tokens: new ClientTokens(now),
    background(work: Promise<unknown>) {
      const tracked = work
        .catch((error: Error) =>
          log(`dynamodb: background work failed (${error.name}: ${error.message})`),
        )
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
  };

  let sweeping = Promise.resolve(0);
  const sweepExpiredItems = () => {
    sweeping = sweeping
      .catch(() => 0)
      .then(() => context.ttl.sweep())
      .then((deleted) => {
        if (deleted) log(`dynamodb: time to live deleted ${deleted} expired item(s)`);
        return deleted;
      });
    return sweeping;
  };
  const sweepInBackground = () =>
    sweepExpiredItems().catch((error: Error) =>
      log(`dynamodb: time-to-live sweep failed (${error.name}: ${error.message})`),
    );

  const server = createServer(
    dynamodbFront({
      region: store.tableDb.awsRegion,
      serve: (operation, body) => serve(context, operation, body),
      authorize: options.authorize,
      log,
    }),
  );
  protectServer(server, { origins: options.origins ?? new TrustedOrigins() });
  let port: number;
  try {
    port = await listen(server, options.port, host, "LOCAL_DYNAMODB_PORT");
  } catch (error) {
    await callback((done) => store.lifecycleManager.gracefulClose(done));
    throw error;
  }
  sweepInBackground();
  const timer = setInterval(sweepInBackground, options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();

  return {
    endpoint: `http://${host}:${port}`,
    async applyTables(tables) {
      const changes = await applyTables(store, context.ttl, tables);
      if (changes.timeToLive.length) sweepInBackground();
      return changes;
    },
    sweepExpiredItems,
    async stop() {
      clearInterval(timer);
      await sweeping.catch(() => {});
      await close(server);
      await Promise.all(pending);
      await callback((done) => store.lifecycleManager.gracefulClose(done));
    },
  };
}
