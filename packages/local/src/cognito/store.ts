import { mkdir } from "node:fs/promises";
import { ClassicLevel } from "classic-level";

/** Separates the parts of a key: no name, id or attribute value the pool stores contains it. */
const SEP = "\u0000";
/** Sorts after every character a key part can hold: the end of a prefix range. */
const END = "\uffff";

export const key = (...parts: string[]) => parts.join(SEP);

export type StoreOperation =
  | { type: "put"; key: string; value: unknown }
  | { type: "del"; key: string };

/**
 * The user pools' data: LevelDB (classic-level), one value per key, JSON
 * encoded. Every write goes through LevelDB's write-ahead log before the call
 * resolves, and a batch is applied whole or not at all, so a process killed
 * mid-burst loses only writes that were never acknowledged. Keys are
 * `<poolId>\0<kind>\0…`, ordered, so a prefix is a range: one user, one index
 * entry, or a page of users in username order, without reading the rest.
 */
export class Store {
  private constructor(private readonly db: ClassicLevel<string, unknown>) {}

  static async open(directory: string): Promise<Store> {
    await mkdir(directory, { recursive: true });
    const db = new ClassicLevel<string, unknown>(directory, { valueEncoding: "json" });
    try {
      await db.open();
    } catch (error) {
      throw new Error(
        `Cannot open the user pool data in ${directory} (is another local stack using it?).`,
        { cause: error },
      );
    }
    return new Store(db);
  }

  async get<T>(storeKey: string): Promise<T | undefined> {
    // classic-level's getMany reads one key several times faster than its get.
    const [value] = await this.db.getMany([storeKey]);
    return value as T | undefined;
  }

  async getMany<T>(keys: string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    return (await this.db.getMany(keys)) as (T | undefined)[];
  }

  put(storeKey: string, value: unknown): Promise<void> {
    return this.db.put(storeKey, value);
  }

  del(storeKey: string): Promise<void> {
    return this.db.del(storeKey);
  }

  batch(operations: StoreOperation[]): Promise<void> {
    if (operations.length === 0) return Promise.resolve();
    return this.db.batch(operations);
  }

  /**
   * Entries under the key `prefix`, in key order: those whose next key part
   * starts with `startsWith` (all by default), after the key part `after`.
   */
  async *entries<T>(
    prefix: string,
    options: { after?: string; startsWith?: string; limit?: number } = {},
  ): AsyncGenerator<[string, T]> {
    const base = prefix + SEP;
    const from = base + (options.startsWith ?? "");
    const iterator = this.db.iterator({
      ...(options.after === undefined ? { gte: from } : { gt: base + options.after }),
      lt: from + END,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    try {
      for await (const [entryKey, value] of iterator) {
        yield [entryKey.slice(base.length), value as T];
      }
    } finally {
      await iterator.close();
    }
  }

  /** How many keys start with `prefix` (reads keys only). */
  async count(prefix: string): Promise<number> {
    const base = prefix + SEP;
    let n = 0;
    for await (const _ of this.db.keys({ gte: base, lt: base + END })) n += 1;
    return n;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
