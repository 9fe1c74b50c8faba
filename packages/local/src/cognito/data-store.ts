import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DataStore } from "cognito-local/lib/services/dataStore/dataStore.js";
import type { DataStoreFactory } from "cognito-local/lib/services/dataStore/factory.js";

type Tree = Record<string, unknown>;

/** Same on-disk format as cognito-local's StormDB files: fields ending in "Date" hold ISO strings. */
function reviveDates(key: string, value: unknown) {
  if (key.endsWith("Date") && (typeof value === "string" || typeof value === "number")) {
    return new Date(value);
  }
  return value;
}

function keyPath(key: string | string[]) {
  return Array.isArray(key) ? key : [key];
}

function isTree(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * cognito-local's StormDB store rewrites the whole file with concurrent,
 * unordered `fs.writeFile` calls: parallel requests can leave a torn file or
 * an older snapshot on disk. This store keeps the tree in memory, writes at
 * most one snapshot at a time (later changes coalesce into the next one), and
 * replaces the file by rename so a reader or a crash never sees half a file.
 */
export class JsonFileDataStore implements DataStore {
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private tree: Tree,
  ) {}

  async get<T>(_ctx: unknown, key: string | string[], defaultValue?: T): Promise<T | null> {
    let node: unknown = this.tree;
    for (const part of keyPath(key)) {
      node = isTree(node) ? node[part] : undefined;
    }
    return (node as T | undefined) ?? defaultValue ?? null;
  }

  async getRoot<T>(): Promise<T | null> {
    return this.tree as T;
  }

  async set<T>(_ctx: unknown, key: string | string[], value: T): Promise<void> {
    const parts = keyPath(key);
    const last = parts.at(-1);
    if (last === undefined) throw new Error("Empty data store key");
    let node = this.tree;
    for (const part of parts.slice(0, -1)) {
      let child = node[part];
      if (!isTree(child)) {
        child = {};
        node[part] = child;
      }
      node = child as Tree;
    }
    node[last] = value;
    await this.save();
  }

  async delete(_ctx: unknown, key: string | string[]): Promise<void> {
    const parts = keyPath(key);
    const last = parts.at(-1);
    if (last === undefined) throw new Error("Empty data store key");
    let node: unknown = this.tree;
    for (const part of parts.slice(0, -1)) {
      node = isTree(node) ? node[part] : undefined;
    }
    if (isTree(node)) delete node[last];
    await this.save();
  }

  /** Resolves once a snapshot taken after this call is on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.writing;
    const next = (async () => {
      await previous?.catch(() => {});
      this.queued = undefined;
      const snapshot = JSON.stringify(this.tree, null, 2);
      const temporary = `${this.file}.tmp`;
      await writeFile(temporary, snapshot);
      await rename(temporary, this.file);
    })();
    this.queued = next;
    this.writing = next;
    const settle = () => {
      if (this.writing === next) this.writing = undefined;
    };
    next.then(settle, settle);
    return next;
  }

  /** Waits for every save requested so far. */
  async flush(): Promise<void> {
    await this.queued?.catch(() => {});
    await this.writing?.catch(() => {});
  }
}

export class JsonFileDataStoreFactory implements DataStoreFactory {
  private readonly stores: JsonFileDataStore[] = [];

  constructor(private readonly directory: string) {}

  async create(_ctx: unknown, id: string, defaults: object): Promise<JsonFileDataStore> {
    await mkdir(this.directory, { recursive: true });
    const file = join(this.directory, `${id}.json`);
    let tree: Tree = {};
    try {
      const parsed: unknown = JSON.parse(await readFile(file, "utf8"), reviveDates);
      if (isTree(parsed)) tree = parsed;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new Error(`Cannot read the user pool data in ${file}; delete it to start afresh.`, {
          cause: error,
        });
      }
    }
    const store = new JsonFileDataStore(
      file,
      Object.keys(tree).length === 0 ? structuredClone(defaults as Tree) : tree,
    );
    this.stores.push(store);
    await store.save();
    return store;
  }

  async flush(): Promise<void> {
    await Promise.all(this.stores.map((store) => store.flush()));
  }
}
