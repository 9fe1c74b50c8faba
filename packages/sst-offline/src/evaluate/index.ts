/**
 * Evaluates a project's sst.config.ts offline, as the SST CLI would for `sst deploy` or
 * `sst dev`, and records every resource the program creates: no engine, no AWS account.
 * The infrastructure tests assert on what it records; the local stack serves it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runProgram } from "./program";
import {
  defaultAccountId,
  defaultRegion,
  type EnvironmentRead,
  type RecordedCall,
  type RecordedRead,
  type RecordedResource,
} from "./recorded";
import type { RpcCall } from "./rpc-server";

export type { App } from "./program";
export type { EnvironmentRead, RecordedCall, RecordedRead, RecordedResource } from "./recorded";
export { assetBucket, defaultAccountId, defaultRegion } from "./recorded";
export type { RpcCall } from "./rpc-server";

import type { App } from "./program";

export interface EvaluateOptions {
  /** The project's root: the folder holding sst.config.ts and `.sst/platform`. */
  root: string;
  stage: string;
  /** `sst dev` instead of `sst deploy`. */
  dev?: boolean;
  region?: string;
  accountId?: string;
  /**
   * Sites (`<folder>/<site>`) replaced by a stand-in holding a built `dist/`, for `sst deploy`
   * evaluations: the mock runtime never runs a site's build command.
   */
  sites?: string[];
  /** Variables set (a string) or unset (undefined) for the program, over this process's. */
  env?: Record<string, string | undefined>;
}

export interface Evaluation {
  app: App;
  region: string;
  accountId: string;
  resources: RecordedResource[];
  /** Existing resources the program looked up instead of creating. */
  reads: RecordedRead[];
  outputs: Record<string, unknown>;
  /** Provider functions the program called (`aws.getRegion`, policy documents...). */
  invokes: RecordedCall[];
  /** Calls the components made to the CLI. */
  rpcCalls: RpcCall[];
  /** The project files the program is made of, relative to the root. */
  inputs: string[];
  environment: EnvironmentRead;
}

const memo = new Map<string, Promise<Evaluation>>();

/** Evaluates once per set of options in this process. */
export function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  const key = optionsKey(options);
  let result = memo.get(key);
  if (!result) {
    result = evaluateUncached(options);
    memo.set(key, result);
  }
  return result;
}

async function evaluateUncached(options: EvaluateOptions): Promise<Evaluation> {
  const region = options.region ?? defaultRegion;
  const accountId = options.accountId ?? defaultAccountId;
  const run = await runProgram({
    root: options.root,
    stage: options.stage,
    dev: options.dev ?? false,
    account: { region, accountId },
    sites: options.sites ?? [],
    env: options.env ?? {},
  });
  return {
    app: run.app,
    region,
    accountId,
    resources: run.result.resources,
    reads: run.result.reads,
    outputs: run.result.outputs,
    invokes: run.result.invokes,
    rpcCalls: run.rpcCalls,
    inputs: run.inputs,
    environment: run.environment,
  };
}

function optionsKey(options: EvaluateOptions): string {
  return JSON.stringify([
    options.root,
    options.stage,
    options.dev ?? false,
    options.region ?? defaultRegion,
    options.accountId ?? defaultAccountId,
    options.sites ?? [],
    Object.entries(options.env ?? {}).sort(),
  ]);
}

/** Bump when the evaluator records differently, so older caches are not reused. */
const CACHE_FORMAT = 1;

interface CacheFile {
  format: number;
  key: string;
  fingerprint: Fingerprint;
  evaluation: Evaluation;
}

/** What an evaluation depended on: its files' contents and the variables it read. */
interface Fingerprint {
  files: Record<string, string>;
  env: Record<string, string | null>;
  /** Set when the program listed the whole environment: a digest of it. */
  wholeEnv?: string;
}

/**
 * Files outside the program's bundle whose change changes it anyway: the platform (its
 * components and provider) and the lockfile (the packages the program imports).
 */
const ALWAYS_HASHED = [".sst/platform/version", "pnpm-lock.yaml", "package-lock.json"];

function hashFile(root: string, path: string): string {
  const file = join(root, path);
  if (!existsSync(file)) return "absent";
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function variableValue(options: EvaluateOptions, name: string): string | null {
  const given = options.env ?? {};
  const value = name in given ? given[name] : process.env[name];
  return value ?? null;
}

function wholeEnvDigest(options: EvaluateOptions): string {
  const names = new Set([...Object.keys(process.env), ...Object.keys(options.env ?? {})]);
  const entries = [...names].sort().map((name) => [name, variableValue(options, name)]);
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}

function fingerprintOf(options: EvaluateOptions, evaluation: Evaluation): Fingerprint {
  const files = [...new Set([...evaluation.inputs, ...ALWAYS_HASHED])];
  return {
    files: Object.fromEntries(files.map((path) => [path, hashFile(options.root, path)])),
    env: Object.fromEntries(
      evaluation.environment.variables.map((name) => [name, variableValue(options, name)]),
    ),
    ...(evaluation.environment.enumerated ? { wholeEnv: wholeEnvDigest(options) } : {}),
  };
}

function stillHolds(options: EvaluateOptions, fingerprint: Fingerprint): boolean {
  for (const [path, hash] of Object.entries(fingerprint.files)) {
    if (hashFile(options.root, path) !== hash) return false;
  }
  for (const [name, value] of Object.entries(fingerprint.env)) {
    if (variableValue(options, name) !== value) return false;
  }
  return fingerprint.wholeEnv === undefined || fingerprint.wholeEnv === wholeEnvDigest(options);
}

/**
 * Reuses the evaluation kept in `cacheFile` while everything it was made from (the project
 * files in its bundle, the platform, the lockfile, the variables it read) is unchanged;
 * otherwise evaluates and keeps the result there.
 */
export async function evaluateCached(
  options: EvaluateOptions & { cacheFile: string },
): Promise<{ evaluation: Evaluation; cached: boolean }> {
  const { cacheFile, ...evaluateOptions } = options;
  const key = optionsKey(evaluateOptions);
  const cache = await readCache(cacheFile);
  if (
    cache?.format === CACHE_FORMAT &&
    cache.key === key &&
    stillHolds(options, cache.fingerprint)
  ) {
    return { evaluation: cache.evaluation, cached: true };
  }
  const evaluation = await evaluateUncached(evaluateOptions);
  const entry: CacheFile = {
    format: CACHE_FORMAT,
    key,
    fingerprint: fingerprintOf(options, evaluation),
    evaluation,
  };
  await mkdir(dirname(cacheFile), { recursive: true });
  await writeFile(`${cacheFile}.tmp`, JSON.stringify(entry));
  await rename(`${cacheFile}.tmp`, cacheFile);
  return { evaluation, cached: false };
}

async function readCache(file: string): Promise<CacheFile | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as CacheFile;
  } catch {
    return undefined;
  }
}
