import { randomBytes } from "node:crypto";
import type { UserPoolClientSpec } from "../../spec";
import { nowMs, type Services } from "../context";
import { notAuthorized } from "../errors";

/** Cognito's default AuthSessionValidity, in minutes. */
const DEFAULT_SESSION_MINUTES = 3;

interface Pending<T> {
  state: T;
  clientId: string;
  poolId: string;
  expires: number;
}

/**
 * The state a challenge carries from one call to the next, under the
 * `Session` string sent to the client; it lasts the client's
 * AuthSessionValidity and is used once.
 */
export class ChallengeSessions<T> {
  private readonly pending = new Map<string, Pending<T>>();

  open(services: Services, poolId: string, client: UserPoolClientSpec, state: T, id?: string) {
    const now = nowMs(services);
    for (const [key, entry] of this.pending) if (entry.expires < now) this.pending.delete(key);
    const session = id ?? randomBytes(96).toString("base64url");
    const minutes = client.authSessionValidityMinutes ?? DEFAULT_SESSION_MINUTES;
    this.pending.set(session, {
      state,
      clientId: client.id,
      poolId,
      expires: now + minutes * 60_000,
    });
    return session;
  }

  /**
   * Like `take`, with `retry` to put the session back unchanged (same expiry) so that the
   * caller may answer again, e.g. after a mistyped code.
   */
  takeRetryable(services: Services, client: UserPoolClientSpec, session: string | undefined) {
    const entry = session === undefined ? undefined : this.pending.get(session);
    const state = this.take(services, client, session);
    return {
      state,
      retry: (next: T = state) => {
        if (entry && session !== undefined) this.pending.set(session, { ...entry, state: next });
      },
    };
  }

  /** The state of a live session of this client, taken (a session answers once). */
  take(services: Services, client: UserPoolClientSpec, session: string | undefined): T {
    const entry = session === undefined ? undefined : this.pending.get(session);
    if (session !== undefined) this.pending.delete(session);
    if (!entry || entry.expires < nowMs(services) || entry.clientId !== client.id) {
      throw notAuthorized("Invalid session for the user, session is expired.");
    }
    return entry.state;
  }
}
