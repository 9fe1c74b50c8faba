import type { Clock } from "cognito-local/lib/services/clock.js";
import type { Context } from "cognito-local/lib/services/context.js";
import type { DataStore } from "cognito-local/lib/services/dataStore/dataStore.js";
import type { DataStoreFactory } from "cognito-local/lib/services/dataStore/factory.js";
import {
  attributeValue,
  type User,
  type UserPool,
  type UserPoolService,
  type UserPoolServiceFactory,
  UserPoolServiceImpl,
} from "cognito-local/lib/services/userPoolService.js";

const folded = (value: string) => value.toLowerCase();

/**
 * Orders several users that match one name case-insensitively. Only data
 * written before lookups ignored case can hold such twins: the one spelled
 * exactly as asked wins, then a confirmed one, then the oldest.
 */
function preference(asked: string) {
  return (a: User, b: User) => {
    const exact = (user: User) => (attributeValue("email", user.Attributes) === asked ? 0 : 1);
    const confirmed = (user: User) => (user.UserStatus === "CONFIRMED" ? 0 : 1);
    return (
      exact(a) - exact(b) ||
      confirmed(a) - confirmed(b) ||
      new Date(a.UserCreateDate).getTime() - new Date(b.UserCreateDate).getTime()
    );
  };
}

/**
 * cognito-local's user pool, with usernames that ignore case when the pool
 * says `UsernameConfiguration.CaseSensitive: false` (as SST deploys it):
 * `Alice@example.com` and `alice@example.com` are then one account for
 * every call that names a user. Refresh tokens live in the session store,
 * not on the user record.
 */
export class CaseInsensitiveUserPool extends UserPoolServiceImpl {
  constructor(
    clients: DataStore,
    clock: Clock,
    private readonly users: DataStore,
    options: UserPool,
  ) {
    super(clients, clock, users, options);
  }

  override async getUserByUsername(ctx: Context, username: string): Promise<User | null> {
    if (typeof username !== "string" || username === "") return null;
    const byKey = await this.users.get<User>(ctx, ["Users", username]);
    if (byKey) return byKey;
    if (this.options.UsernameConfiguration?.CaseSensitive !== false) {
      return super.getUserByUsername(ctx, username);
    }
    const wanted = folded(username);
    const byEmail = this.options.UsernameAttributes?.includes("email") ?? false;
    const all = Object.values((await this.users.get<Record<string, User>>(ctx, "Users", {})) ?? {});
    const matches = all.filter((user) => {
      if (folded(user.Username) === wanted) return true;
      const sub = attributeValue("sub", user.Attributes);
      if (sub !== undefined && folded(sub) === wanted) return true;
      const email = attributeValue("email", user.Attributes);
      return byEmail && email !== undefined && folded(email) === wanted;
    });
    return matches.sort(preference(username))[0] ?? null;
  }

  override async storeRefreshToken(): Promise<void> {}
}

export class CaseInsensitiveUserPoolFactory implements UserPoolServiceFactory {
  constructor(
    private readonly clock: Clock,
    private readonly dataStores: DataStoreFactory,
  ) {}

  async create(ctx: Context, clients: DataStore, defaults: UserPool): Promise<UserPoolService> {
    const users = await this.dataStores.create(ctx, defaults.Id, { Users: {}, Options: defaults });
    const options = (await users.get<UserPool>(ctx, "Options", defaults)) ?? defaults;
    return new CaseInsensitiveUserPool(clients, this.clock, users, options);
  }
}
