import {
  callback,
  getTable,
  type Item,
  isDynaliteError,
  type Store,
  validate,
  validation,
  validationError,
} from "./dynalite";
import { isConditionFailure, writeItem } from "./writes";

/** DynamoDB's TTL ignores expiry times more than five years in the past. */
const HORIZON_SECONDS = 5 * 365 * 24 * 60 * 60;
/** "Any additional UpdateTimeToLive calls for the same table during this one hour duration result in a ValidationException." */
const CHANGE_INTERVAL_MS = 60 * 60 * 1000;
/** Beside dynalite's own `table~` keys in the same database. */
const PREFIX = "ttl~";

export interface TimeToLiveSetting {
  table: string;
  attributeName: string;
  enabled: boolean;
  /** When it last changed (epoch ms, the stack's clock). */
  changedAt: number;
}

const tableName = { type: "String", required: true, tableName: true, regex: "[a-zA-Z0-9_.-]+" };
const UPDATE = {
  types: {
    TableName: tableName,
    TimeToLiveSpecification: {
      type: "FieldStruct<TimeToLiveSpecification>",
      notNull: true,
      children: {
        AttributeName: {
          type: "String",
          notNull: true,
          lengthGreaterThanOrEqual: 1,
          lengthLessThanOrEqual: 255,
        },
        Enabled: { type: "Boolean", notNull: true },
      },
    },
  },
};

/**
 * DynamoDB Time to Live, which dynalite lacks: the setting per table (kept in the data
 * directory), UpdateTimeToLive and DescribeTimeToLive as the API reference documents them,
 * and the sweep that deletes expired items as the service does in the background.
 */
export class TimeToLive {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async setting(table: string): Promise<TimeToLiveSetting | undefined> {
    return callback<TimeToLiveSetting | undefined>((done) =>
      this.store.db.get(`${PREFIX}${table}`, (error, value) =>
        error && error.name !== "NotFoundError"
          ? done(error)
          : done(null, error ? undefined : (value as TimeToLiveSetting | undefined)),
      ),
    );
  }

  async settings(): Promise<TimeToLiveSetting[]> {
    const found: TimeToLiveSetting[] = [];
    const values = (
      this.store.db as unknown as { createValueStream(o: object): AsyncIterable<unknown> }
    ).createValueStream({ gte: PREFIX, lt: `${PREFIX}\xff` });
    for await (const value of values) found.push(value as TimeToLiveSetting);
    return found;
  }

  /** Sets a table's TTL (null: none), as a deploy of the table's definition would. */
  async set(table: string, setting: { attributeName: string; enabled: boolean } | null) {
    const key = `${PREFIX}${table}`;
    if (!setting) return callback((done) => this.store.db.del(key, done));
    const value: TimeToLiveSetting = { table, ...setting, changedAt: this.now().getTime() };
    return callback((done) => this.store.db.put(key, value, done));
  }

  async describe(body: unknown) {
    const input = validate(this.store, body, validation("DescribeTable"));
    await getTable(this.store, input.TableName as string, false);
    const setting = await this.setting(input.TableName as string);
    return {
      TimeToLiveDescription: setting?.enabled
        ? { TimeToLiveStatus: "ENABLED", AttributeName: setting.attributeName }
        : { TimeToLiveStatus: "DISABLED" },
    };
  }

  async update(body: unknown) {
    const input = validate(this.store, body, UPDATE);
    const name = input.TableName as string;
    const wanted = input.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean };
    await getTable(this.store, name);
    const current = await this.setting(name);
    if (wanted.Enabled && current?.enabled && current.attributeName === wanted.AttributeName) {
      throw validationError("TimeToLive is already enabled");
    }
    if (!wanted.Enabled && !current?.enabled)
      throw validationError("TimeToLive is already disabled");
    if (current?.enabled && current.attributeName !== wanted.AttributeName) {
      throw validationError("TimeToLive is active on a different AttributeName");
    }
    if (current && this.now().getTime() - current.changedAt < CHANGE_INTERVAL_MS) {
      throw validationError(
        "Time to live has been modified multiple times within a fixed interval",
      );
    }
    await this.set(name, { attributeName: wanted.AttributeName, enabled: wanted.Enabled });
    return { TimeToLiveSpecification: wanted };
  }

  /**
   * Deletes every expired item of every table with TTL enabled, by DynamoDB's rules: a top-level
   * Number of epoch seconds at or before now and no more than five years before it. Each delete
   * is conditioned on the item still being expired, so an item written again meanwhile is kept.
   */
  async sweep(): Promise<number> {
    const now = Math.floor(this.now().getTime() / 1000);
    let deleted = 0;
    for (const { table, attributeName, enabled } of await this.settings()) {
      if (!enabled) continue;
      const description = await getTable(this.store, table).catch(() => undefined);
      if (!description) continue;
      const condition = validate(
        this.store,
        {
          TableName: table,
          Key: {},
          ConditionExpression: "#ttl BETWEEN :oldest AND :now",
          ExpressionAttributeNames: { "#ttl": attributeName },
          ExpressionAttributeValues: {
            ":oldest": { N: String(now - HORIZON_SECONDS) },
            ":now": { N: String(now) },
          },
        },
        validation("DeleteItem"),
      );
      const keyNames = description.KeySchema.map((element) => element.AttributeName);
      const expired: Item[] = [];
      for await (const value of this.store.getItemDb(table).createValueStream()) {
        const item = value as Item;
        const seconds = Number((item[attributeName] as { N?: string } | undefined)?.N);
        if (seconds >= now - HORIZON_SECONDS && seconds <= now) {
          expired.push(Object.fromEntries(keyNames.map((name) => [name, item[name] ?? {}])));
        }
      }
      for (const key of expired) {
        try {
          await writeItem(this.store, "DeleteItem", { ...condition, Key: key }, undefined);
          deleted += 1;
        } catch (error) {
          if (!isDynaliteError(error) || !isConditionFailure(error)) throw error;
        }
      }
    }
    return deleted;
  }
}
