import type { LocalClock } from "../clock";
import type { InvokeResult } from "../lambda";
import type { Mailbox } from "../mailbox";
import type { UserPoolClientSpec } from "../spec";
import { clientNotFound, poolNotFound } from "./errors";
import type { Pool } from "./pool";
import type { TriggerFailures } from "./trigger-failures";

/** Who calls a trigger, as Lambda's resource policy sees it. */
export interface TriggerCaller {
  principal: "cognito-idp.amazonaws.com";
  sourceArn: string;
}

export type InvokeFunction = (
  functionName: string,
  event: unknown,
  caller: TriggerCaller,
) => Promise<InvokeResult>;

/** What every operation of the emulator reaches. */
export interface Services {
  region: string;
  accountId: string;
  clock: LocalClock;
  mailbox: Mailbox;
  log: (line: string) => void;
  invoke: InvokeFunction;
  triggerFailures: TriggerFailures | undefined;
  /** How long one trigger attempt may take; Cognito's fixed limit is 5 s. */
  triggerTimeoutMs: number;
  pools: PoolRegistry;
}

/** The pools being served, by id and by client id. */
export class PoolRegistry {
  private readonly byId = new Map<string, Pool>();

  set(pool: Pool) {
    this.byId.set(pool.id, pool);
  }

  remove(poolId: string) {
    this.byId.delete(poolId);
  }

  all() {
    return [...this.byId.values()];
  }

  pool(poolId: unknown): Pool {
    const pool = typeof poolId === "string" ? this.byId.get(poolId) : undefined;
    if (!pool) throw poolNotFound(String(poolId));
    return pool;
  }

  /** The pool and client a ClientId names (ResourceNotFoundException as Cognito words it). */
  client(clientId: unknown, poolId?: unknown): { pool: Pool; client: UserPoolClientSpec } {
    if (typeof clientId === "string") {
      for (const pool of this.byId.values()) {
        if (poolId !== undefined && pool.id !== poolId) continue;
        const client = pool.client(clientId);
        if (client) return { pool, client };
      }
    }
    throw clientNotFound(String(clientId));
  }
}

export const nowMs = (services: Services) => services.clock.now().getTime();
