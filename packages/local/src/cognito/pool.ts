import { createHmac, randomBytes } from "node:crypto";
import type { UserPoolClientSpec, UserPoolSpec } from "../spec";
import { CognitoError } from "./errors";
import type { PoolKeys } from "./keys";
import { keyedQueue } from "./serial";
import { key, type Store, type StoreOperation } from "./store";
import type { StoredUser } from "./user";

/** Attributes that find a user beside the username, in the order a name is tried against them. */
const LOOKUP_ATTRIBUTES = ["email", "phone_number", "preferred_username", "sub"] as const;
type LookupAttribute = (typeof LOOKUP_ATTRIBUTES)[number];

/** Another user already holds this email, phone number or preferred_username. */
export class IndexConflict extends Error {
  constructor(readonly attribute: LookupAttribute) {
    super(`An account with the given ${attribute} already exists.`);
  }
}

export interface PoolMeta {
  /** Keys the HMACs behind simulated answers for unknown users. */
  secret: string;
  createdAt: number;
  lastModifiedAt: number;
}

export interface Group {
  GroupName: string;
  Description?: string;
  Precedence?: number;
  RoleArn?: string;
  CreationDate: number;
  LastModifiedDate: number;
}

/**
 * One user pool: its spec, signing keys, and its users in the store, each
 * under its username (lower-cased when the pool ignores case) with index
 * entries for `sub` and for the attributes that sign a user in (the email or
 * phone number a pool uses as username, verified alias values). A lookup is
 * a key read or two; nothing scans the users.
 */
export class Pool {
  /** Users, by the local count: DescribeUserPool's EstimatedNumberOfUsers. */
  userCount = 0;
  /** Clients created through the API (CreateUserPoolClient), beside the spec's. */
  private readonly createdClients = new Map<string, UserPoolClientSpec>();
  private readonly exclusive = keyedQueue();

  private constructor(
    public spec: UserPoolSpec,
    readonly store: Store,
    readonly keys: PoolKeys,
    readonly meta: PoolMeta,
  ) {}

  static async open(spec: UserPoolSpec, store: Store, keys: PoolKeys, now: number) {
    const metaKey = key(spec.id, "meta");
    let meta = await store.get<PoolMeta>(metaKey);
    if (!meta) {
      meta = { secret: randomBytes(32).toString("hex"), createdAt: now, lastModifiedAt: now };
      await store.put(metaKey, meta);
    }
    const pool = new Pool(spec, store, keys, meta);
    pool.userCount = await store.count(key(spec.id, "u"));
    for await (const [, client] of store.entries<UserPoolClientSpec>(key(spec.id, "c"))) {
      pool.createdClients.set(client.id, client);
    }
    return pool;
  }

  get id() {
    return this.spec.id;
  }

  /** HMAC-SHA256 keyed by the pool's secret: stable per pool, unguessable outside it. */
  hmac(...parts: string[]): Buffer {
    return createHmac("sha256", this.meta.secret).update(parts.join("\u0000")).digest();
  }

  fold(value: string) {
    return this.spec.usernameCaseSensitive ? value : value.toLowerCase();
  }

  private userKey(username: string) {
    return key(this.id, "u", this.fold(username));
  }

  private indexKey(attribute: LookupAttribute, value: string) {
    const normal = attribute === "phone_number" || attribute === "sub" ? value : this.fold(value);
    return key(this.id, "i", attribute, normal);
  }

  /** Which attributes of this user find it: `sub`, and what the pool signs users in with. */
  private indexed(user: StoredUser): [LookupAttribute, string][] {
    const { usernameAttributes, aliasAttributes } = this.spec;
    const entries: [LookupAttribute, string][] = [];
    for (const attribute of LOOKUP_ATTRIBUTES) {
      const value = user.attributes[attribute];
      if (!value) continue;
      if (attribute === "sub" || attribute === "preferred_username") {
        if (attribute === "sub" || aliasAttributes.includes(attribute)) {
          entries.push([attribute, value]);
        }
        continue;
      }
      const verified = user.attributes[`${attribute}_verified`] === "true";
      if (
        usernameAttributes.includes(attribute) ||
        (aliasAttributes.includes(attribute) && verified)
      ) {
        entries.push([attribute, value]);
      }
    }
    return entries;
  }

  /** The user stored under exactly this username. */
  getUser(username: string): Promise<StoredUser | undefined> {
    return this.store.get<StoredUser>(this.userKey(username));
  }

  /** The user a request names: by username, then sign-in attribute or alias, then `sub`. */
  async findUser(name: unknown): Promise<StoredUser | undefined> {
    if (typeof name !== "string" || name === "") return undefined;
    const direct = await this.getUser(name);
    if (direct) return direct;
    const keys = LOOKUP_ATTRIBUTES.map((attribute) => this.indexKey(attribute, name));
    const owners = await this.store.getMany<string>(keys);
    const owner = owners.find((found) => found !== undefined);
    return owner === undefined ? undefined : this.store.get<StoredUser>(owner);
  }

  /** Runs writes that check and change index entries one at a time. */
  private locked<T>(task: () => Promise<T>) {
    return this.exclusive(this.id, task);
  }

  /** The index entries a change adds and removes. */
  private indexDiff(before: StoredUser | undefined, after: StoredUser | undefined) {
    const old = new Set(before ? this.indexed(before).map(([a, v]) => this.indexKey(a, v)) : []);
    const added: [LookupAttribute, string][] = [];
    for (const [attribute, value] of after ? this.indexed(after) : []) {
      const indexKey = this.indexKey(attribute, value);
      if (!old.delete(indexKey)) added.push([attribute, indexKey]);
    }
    return { added, removed: [...old] };
  }

  private async changes(before: StoredUser | undefined, after: StoredUser | undefined) {
    const owner = this.userKey((after ?? before)?.username ?? "");
    const { added, removed } = this.indexDiff(before, after);
    const holders = await this.store.getMany<string>(added.map(([, indexKey]) => indexKey));
    const operations: StoreOperation[] = [];
    added.forEach(([attribute, indexKey], i) => {
      const holder = holders[i];
      if (holder !== undefined && holder !== owner) throw new IndexConflict(attribute);
      operations.push({ type: "put", key: indexKey, value: owner });
    });
    for (const stale of removed) operations.push({ type: "del", key: stale });
    if (after) operations.push({ type: "put", key: owner, value: after });
    else operations.push({ type: "del", key: owner });
    return operations;
  }

  /** Stores a new user with its index entries in one batch. */
  create(user: StoredUser): Promise<void> {
    return this.locked(async () => {
      if (await this.getUser(user.username)) {
        throw new CognitoError("UsernameExistsException", "User already exists");
      }
      await this.store.batch(await this.changes(undefined, user));
      this.userCount += 1;
    });
  }

  /** Replaces a stored user (same username), moving its index entries in the same batch. */
  save(before: StoredUser, after: StoredUser): Promise<void> {
    const { added, removed } = this.indexDiff(before, after);
    // Changes to one user are already serial (operations/shared.ts); only index moves race others.
    if (added.length === 0 && removed.length === 0) {
      return this.store.put(this.userKey(after.username), after);
    }
    return this.locked(async () => {
      await this.store.batch(await this.changes(before, after));
    });
  }

  delete(user: StoredUser): Promise<void> {
    return this.locked(async () => {
      const groups = await this.groupsOf(user.username);
      const memberships: StoreOperation[] = groups.flatMap((group) => [
        { type: "del", key: key(this.id, "ug", this.fold(user.username), group) },
        { type: "del", key: key(this.id, "gm", group, this.fold(user.username)) },
      ]);
      await this.store.batch([...(await this.changes(user, undefined)), ...memberships]);
      this.userCount -= 1;
    });
  }

  /** Users in username order, after the username `after`. */
  users(after?: string) {
    return this.store.entries<StoredUser>(key(this.id, "u"), {
      ...(after === undefined ? {} : { after: this.fold(after) }),
    });
  }

  /** Users whose index entry for `attribute` starts with `prefix` (an exact value when `exact`). */
  async usersByIndex(attribute: LookupAttribute, value: string, exact: boolean) {
    if (exact) {
      const owner = await this.store.get<string>(this.indexKey(attribute, value));
      return owner === undefined ? [] : [owner];
    }
    const owners: string[] = [];
    const startsWith = this.indexKey(attribute, value).slice(
      key(this.id, "i", attribute).length + 1,
    );
    const entries = this.store.entries<string>(key(this.id, "i", attribute), { startsWith });
    for await (const [, owner] of entries) owners.push(owner);
    return owners;
  }

  /** Whether ListUsers can answer a filter on this attribute from the index. */
  isIndexed(attribute: string): attribute is LookupAttribute {
    if (attribute === "sub") return true;
    if (attribute === "preferred_username") return this.spec.aliasAttributes.includes(attribute);
    return (
      (attribute === "email" || attribute === "phone_number") &&
      this.spec.usernameAttributes.includes(attribute)
    );
  }

  // ─── Clients ─────────────────────────────────────────────────────────────────────────────

  client(clientId: string): UserPoolClientSpec | undefined {
    return this.spec.clients.find((c) => c.id === clientId) ?? this.createdClients.get(clientId);
  }

  clients(): UserPoolClientSpec[] {
    return [...this.spec.clients, ...this.createdClients.values()];
  }

  async addClient(client: UserPoolClientSpec) {
    await this.store.put(key(this.id, "c", client.id), client);
    this.createdClients.set(client.id, client);
  }

  // ─── Groups ──────────────────────────────────────────────────────────────────────────────

  getGroup(name: string) {
    return this.store.get<Group>(key(this.id, "g", name));
  }

  putGroup(group: Group) {
    return this.store.put(key(this.id, "g", group.GroupName), group);
  }

  /** Removes a group and every membership in it. */
  async deleteGroup(name: string) {
    const operations: StoreOperation[] = [{ type: "del", key: key(this.id, "g", name) }];
    for await (const [member] of this.store.entries(key(this.id, "gm", name))) {
      operations.push({ type: "del", key: key(this.id, "gm", name, member) });
      operations.push({ type: "del", key: key(this.id, "ug", member, name) });
    }
    await this.store.batch(operations);
  }

  async groups(): Promise<Group[]> {
    const groups: Group[] = [];
    for await (const [, group] of this.store.entries<Group>(key(this.id, "g"))) groups.push(group);
    return groups;
  }

  async setMembership(username: string, group: string, member: boolean) {
    const user = this.fold(username);
    const keys = [key(this.id, "ug", user, group), key(this.id, "gm", group, user)];
    await this.store.batch(
      keys.map((k) => (member ? { type: "put", key: k, value: 1 } : { type: "del", key: k })),
    );
  }

  /** The user's groups, by precedence (lowest first), then name, as tokens list them. */
  async groupsOf(username: string): Promise<string[]> {
    const names: string[] = [];
    for await (const [name] of this.store.entries(key(this.id, "ug", this.fold(username)))) {
      names.push(name);
    }
    const groups = await this.store.getMany<Group>(names.map((n) => key(this.id, "g", n)));
    return groups
      .filter((g): g is Group => g !== undefined)
      .sort(
        (a, b) =>
          (a.Precedence ?? Infinity) - (b.Precedence ?? Infinity) ||
          (a.GroupName < b.GroupName ? -1 : 1),
      )
      .map((g) => g.GroupName);
  }
}
