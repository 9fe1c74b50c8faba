import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsersTable } from "@userprofile/core/users-table";
import { startDynamoDB } from "@userprofile/local/testing";
import type { BundleResult } from "./bundles";
import { lambdaEnvironment, runChild } from "./child";
import { type Summary, summarize } from "./stats";

export function confirmationEvent(sub: string) {
  return {
    version: "1",
    region: "us-east-1",
    userPoolId: "us-east-1_bench",
    userName: sub,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "bench" },
    triggerSource: "PostConfirmation_ConfirmSignUp",
    request: {
      userAttributes: {
        sub,
        email: `${sub}@example.com`,
        email_verified: "true",
        "cognito:user_status": "CONFIRMED",
        given_name: "Ada",
        family_name: "Lovelace",
      },
    },
    response: {},
  };
}

interface ColdMessage {
  bootMs: number;
  importMs: number;
  invokeMs: number;
  totalMs: number;
  cpuMs: number;
}

export interface ColdResult {
  name: string;
  bundle: string;
  importMs: Summary;
  firstInvokeMs: Summary;
  /** Import plus first invocation: the cold start Cognito waits for. */
  coldMs: Summary;
  /** CPU time of import plus first invocation: steadier than wall time on a busy machine. */
  cpuMs: Summary;
  /** Spawn to reply, Node's own boot included. */
  processMs: Summary;
}

export interface WarmResult {
  triggerMs: Summary;
  barePutMs: Summary;
  baselineMs: Summary;
  /** Per round: trigger invocation minus the bare put beside it. */
  overheadMs: Summary;
}

/** One dynalite in memory with the Users table, for the trigger runs. */
export async function withDynamoDB<T>(run: (env: Record<string, string>) => Promise<T>) {
  const dataDir = await mkdtemp(join(tmpdir(), "bench-dynamodb-"));
  const dynamodb = await startDynamoDB({ port: 0 });
  await dynamodb.applyTables([
    {
      name: UsersTable.name,
      arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${UsersTable.name}`,
      origin: { component: "sst:aws:Dynamo", name: UsersTable.name },
      attributes: [{ name: UsersTable.partitionKey, type: "S" }],
      hashKey: UsersTable.partitionKey,
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
      timeToLive: { attributeName: UsersTable.timeToLiveAttribute },
    },
  ]);
  try {
    return await run(
      lambdaEnvironment({
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        SST_RESOURCE_App: JSON.stringify({ name: "userprofile", stage: "bench" }),
        SST_RESOURCE_UsersTable: JSON.stringify({
          name: UsersTable.name,
          type: "sst.sst.Linkable",
        }),
        TABLE_NAME: UsersTable.name,
      }),
    );
  } finally {
    await dynamodb.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Fresh processes, one variant after another, the order rotated every round. */
export async function coldStarts(
  variants: Array<{ name: string; bundle: BundleResult; event?: (id: string) => unknown }>,
  runs: number,
  env: Record<string, string>,
): Promise<ColdResult[]> {
  const samples = new Map(
    variants.map((v) => [v.name, [] as Array<ColdMessage & { wallMs: number }>]),
  );
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length] as (typeof variants)[number];
      const id = `cold-${process.pid}-${round}-${k}`;
      const event = variant.event ? variant.event(id) : confirmationEvent(id);
      const { message, wallMs } = await runChild<ColdMessage>(
        "cold.mjs",
        [variant.bundle.file, "handler", JSON.stringify(event)],
        env,
      );
      samples.get(variant.name)?.push({ ...message, wallMs });
    }
  }
  return variants.map(({ name, bundle }) => {
    const s = samples.get(name) ?? [];
    return {
      name,
      bundle: bundle.name,
      importMs: summarize(s.map((x) => x.importMs)),
      firstInvokeMs: summarize(s.map((x) => x.invokeMs)),
      coldMs: summarize(s.map((x) => x.totalMs)),
      cpuMs: summarize(s.map((x) => x.cpuMs)),
      processMs: summarize(s.map((x) => x.wallMs)),
    };
  });
}

export interface WarmCase {
  name: string;
  bundle: string;
  exportName: string;
  args: unknown[];
}

export async function warmCases(
  cases: WarmCase[],
  iterations: number,
  warmup: number,
  env: Record<string, string>,
) {
  const { message } = await runChild<{ times: Record<string, number[]> }>(
    "warm.mjs",
    [JSON.stringify({ cases, iterations, warmup })],
    env,
    300_000,
  );
  return message.times;
}

/** Pairwise differences by round: the rounds ran the two cases back to back. */
export function pairedDifference(a: readonly number[], b: readonly number[]) {
  return a.map((value, i) => value - (b[i] ?? Number.NaN));
}

export async function triggerWarm(
  trigger: BundleResult,
  baseline: BundleResult,
  bare: BundleResult,
  iterations: number,
  env: Record<string, string>,
): Promise<WarmResult> {
  const table = env.TABLE_NAME as string;
  const times = await warmCases(
    [
      {
        name: "trigger",
        bundle: trigger.file,
        exportName: "handler",
        args: [confirmationEvent("{{id}}"), {}],
      },
      {
        name: "bare",
        bundle: bare.file,
        exportName: "putProfile",
        args: [table, "{{id}}", "{{id}}@example.com"],
      },
      {
        name: "baseline",
        bundle: baseline.file,
        exportName: "handler",
        args: [confirmationEvent("{{id}}"), {}],
      },
    ],
    iterations,
    Math.min(200, Math.ceil(iterations / 5)),
    env,
  );
  const t = times.trigger ?? [];
  const b = times.bare ?? [];
  return {
    triggerMs: summarize(t),
    barePutMs: summarize(b),
    baselineMs: summarize(times.baseline ?? []),
    overheadMs: summarize(pairedDifference(t, b)),
  };
}
