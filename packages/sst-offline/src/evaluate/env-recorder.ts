/**
 * Imported first in an evaluation bundle: notes which environment variables the program
 * reads, so that a cached evaluation is reused only while they hold the same values.
 */
import type { EnvironmentRead } from "./recorded";

const notUsed = new Set<string>(JSON.parse(process.env.SST_OFFLINE_UNRECORDED ?? "[]"));
const read = new Set<string>();
let enumerated = false;

const note = (key: string | symbol) => {
  if (typeof key === "string" && !notUsed.has(key)) read.add(key);
};

process.env = new Proxy(process.env, {
  get(target, key) {
    note(key);
    return Reflect.get(target, key);
  },
  has(target, key) {
    note(key);
    return Reflect.has(target, key);
  },
  getOwnPropertyDescriptor(target, key) {
    note(key);
    return Reflect.getOwnPropertyDescriptor(target, key);
  },
  ownKeys(target) {
    enumerated = true;
    return Reflect.ownKeys(target);
  },
});

/** What the program read of the environment so far. */
export function environmentRead(): EnvironmentRead {
  return { variables: [...read].sort(), enumerated };
}
