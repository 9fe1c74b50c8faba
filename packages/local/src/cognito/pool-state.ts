import { createHash, createHmac, randomBytes } from "node:crypto";
import type { JsonFileDataStore, JsonFileDataStoreFactory } from "./data-store";

/**
 * One sign-in: the refresh token it issued and every ID and access token
 * minted from it (they share its `origin_jti`). Revoking it is what
 * RevokeToken and GlobalSignOut do.
 */
export interface SignInSession {
  /** The user's stored Username (the sub in this pool). */
  username: string;
  clientId: string;
  /** The sign-in time, in seconds since the epoch: the tokens' `auth_time`. */
  authTime: number;
  /** Seconds since the epoch. */
  refreshExpiresAt: number;
  /** Seconds since the epoch; absent while the session is live. */
  revokedAt?: number;
}

interface StateTree {
  /** Keys the HMACs behind simulated answers for unknown users and stable SRP salts. */
  Secret: string;
  Sessions: Record<string, SignInSession>;
  /** SHA-256 of a refresh token → the session's origin_jti; the token itself is never stored. */
  RefreshTokens: Record<string, string>;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The pool's state that cognito-local has no place for: sign-in sessions
 * (so that revocations survive a restart) and the pool's own secret. Kept in
 * its own file beside the pool's, written atomically like it.
 */
export class PoolState {
  private constructor(
    private readonly store: JsonFileDataStore,
    private readonly tree: StateTree,
  ) {}

  static async open(stores: JsonFileDataStoreFactory, userPoolId: string): Promise<PoolState> {
    const defaults: StateTree = {
      Secret: randomBytes(32).toString("hex"),
      Sessions: {},
      RefreshTokens: {},
    };
    const store = await stores.create(undefined, userPoolId, defaults);
    const tree = (await store.getRoot<StateTree>()) as StateTree;
    tree.Sessions ??= {};
    tree.RefreshTokens ??= {};
    return new PoolState(store, tree);
  }

  /** HMAC-SHA256 keyed by the pool's secret: stable per pool, unguessable outside it. */
  hmac(...parts: string[]): Buffer {
    return createHmac("sha256", this.tree.Secret).update(parts.join("\u0000")).digest();
  }

  session(originJti: string): SignInSession | undefined {
    return this.tree.Sessions[originJti];
  }

  findByRefreshToken(
    refreshToken: string,
  ): { originJti: string; session: SignInSession } | undefined {
    const originJti = this.tree.RefreshTokens[hashToken(refreshToken)];
    const session = originJti ? this.tree.Sessions[originJti] : undefined;
    return originJti && session ? { originJti, session } : undefined;
  }

  async addSession(originJti: string, session: SignInSession, refreshToken: string, now: number) {
    this.dropExpired(now);
    this.tree.Sessions[originJti] = session;
    this.tree.RefreshTokens[hashToken(refreshToken)] = originJti;
    await this.store.save();
  }

  async revoke(originJti: string, now: number) {
    const session = this.tree.Sessions[originJti];
    if (!session || session.revokedAt !== undefined) return;
    session.revokedAt = now;
    await this.store.save();
  }

  /** Revokes every live session of a user, on every client; returns how many. */
  async revokeAllOf(username: string, now: number): Promise<number> {
    let revoked = 0;
    for (const session of Object.values(this.tree.Sessions)) {
      if (session.username === username && session.revokedAt === undefined) {
        session.revokedAt = now;
        revoked += 1;
      }
    }
    if (revoked > 0) await this.store.save();
    return revoked;
  }

  /** Forgets sessions whose refresh token has expired: no token of theirs can still be used. */
  private dropExpired(now: number) {
    const expired = new Set<string>();
    for (const [originJti, session] of Object.entries(this.tree.Sessions)) {
      if (session.refreshExpiresAt < now) {
        expired.add(originJti);
        delete this.tree.Sessions[originJti];
      }
    }
    if (expired.size === 0) return;
    for (const [hash, originJti] of Object.entries(this.tree.RefreshTokens)) {
      if (expired.has(originJti)) delete this.tree.RefreshTokens[hash];
    }
  }
}

/** Opens each pool's state once, on first use. */
export class PoolStates {
  private readonly opened = new Map<string, Promise<PoolState>>();

  constructor(private readonly stores: JsonFileDataStoreFactory) {}

  of(userPoolId: string): Promise<PoolState> {
    let state = this.opened.get(userPoolId);
    if (!state) {
      state = PoolState.open(this.stores, userPoolId);
      state.catch(() => this.opened.delete(userPoolId));
      this.opened.set(userPoolId, state);
    }
    return state;
  }

  flush(): Promise<void> {
    return this.stores.flush();
  }
}
