import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createLocalClock } from "../src/clock";
import {
  type DynamoDBEmulator,
  type DynamoDBEmulatorOptions,
  localDynamoDBClient,
  startDynamoDB,
} from "../src/dynamodb";
import type { TableSpec } from "../src/spec";

export interface DynamoDBHarness {
  emulator: DynamoDBEmulator;
  client: DynamoDBClient;
  clock: ReturnType<typeof createLocalClock>;
  dataDir?: string;
  /** Stops the emulator and starts it again on the same data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A local DynamoDB on a free port, with its own clock; on disk when `onDisk` is set. */
export async function startDynamoDBHarness(
  options: { onDisk?: boolean } & Partial<DynamoDBEmulatorOptions> = {},
): Promise<DynamoDBHarness> {
  const { onDisk, ...rest } = options;
  const dataDir = onDisk ? await mkdtemp(join(tmpdir(), "local-dynamodb-")) : undefined;
  const clock = createLocalClock();
  const start = () => startDynamoDB({ port: 0, dataDir, now: () => clock.now(), ...rest });
  const harness: DynamoDBHarness = {
    emulator: await start(),
    client: undefined as unknown as DynamoDBClient,
    clock,
    dataDir,
    async restart() {
      harness.client.destroy();
      await harness.emulator.stop();
      harness.emulator = await start();
      harness.client = localDynamoDBClient(harness.emulator.endpoint, "us-east-1");
    },
    async stop() {
      harness.client.destroy();
      await harness.emulator.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  harness.client = localDynamoDBClient(harness.emulator.endpoint, "us-east-1");
  return harness;
}

/** A TableSpec with the planner's shape; `S` keys unless `attributes` says otherwise. */
export function tableSpec(
  name: string,
  spec: Partial<Omit<TableSpec, "name">> & { hashKey: string },
): TableSpec {
  const keys = [
    spec.hashKey,
    spec.rangeKey,
    ...(spec.globalSecondaryIndexes ?? []).flatMap((index) => [index.hashKey, index.rangeKey]),
    ...(spec.localSecondaryIndexes ?? []).map((index) => index.rangeKey),
  ].filter((key): key is string => key !== undefined);
  const given = spec.attributes ?? [];
  return {
    name,
    arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
    origin: { component: "sst:aws:Dynamo", name },
    globalSecondaryIndexes: [],
    localSecondaryIndexes: [],
    ...spec,
    attributes: [
      ...given,
      ...[...new Set(keys)]
        .filter((key) => !given.some((attribute) => attribute.name === key))
        .map((key) => ({ name: key, type: "S" as const })),
    ],
  };
}
