import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { localDynamoDBClient, startDynamoDB } from "@userprofile/local/testing";
import { type Summary, summarize } from "./stats";

/** dynalite's own HTTP server, as the local stack ran it before its front served transactions. */
async function plainDynalite(dataDir: string) {
  const dynalite = createRequire(import.meta.resolve("@userprofile/local/testing"))("dynalite") as (
    options: object,
  ) => Server;
  const server = dynalite({ path: dataDir, createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localDynamoDBClient(endpoint, "us-east-1");
  await client.send(
    new CreateTableCommand({
      TableName: "Bench",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return {
    client,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ThroughputResult {
  name: string;
  writesPerSecond: number;
  transactionsPerSecond: number;
  putMs: Summary;
}

interface Round extends Omit<ThroughputResult, "putMs"> {
  samples: number[];
}

/**
 * Ordinary writes with and without transactions beside them: `workers` clients put distinct
 * items for `seconds`; in the mix, as many more run two-item transactions, half of them on
 * items the puts also write (so they contend for the same locks).
 */
export async function dynamodbThroughput(options: {
  seconds: number;
  workers: number;
  rounds: number;
}) {
  const dataDir = await mkdtemp(join(tmpdir(), "bench-dynamodb-"));
  const dynamodb = await startDynamoDB({ port: 0, dataDir });
  await dynamodb.applyTables([
    {
      name: "Bench",
      arn: "arn:aws:dynamodb:us-east-1:000000000000:table/Bench",
      origin: { component: "sst:aws:Dynamo", name: "Bench" },
      attributes: [{ name: "pk", type: "S" }],
      hashKey: "pk",
      globalSecondaryIndexes: [],
      localSecondaryIndexes: [],
    },
  ]);
  const client = localDynamoDBClient(dynamodb.endpoint, "us-east-1");
  const plainDir = await mkdtemp(join(tmpdir(), "bench-dynalite-"));
  const plain = await plainDynalite(plainDir);
  const runs: Record<string, Round[]> = { dynalite: [], alone: [], mix: [] };
  try {
    // Interleaved rounds, so that the machine's load falls on each variant alike.
    for (let round = 0; round < options.rounds; round++) {
      runs.dynalite?.push(
        await run(plain.client, options, false, "dynalite 4.0.0's own server, puts"),
      );
      runs.alone?.push(await run(client, options, false, "local DynamoDB, puts alone"));
      runs.mix?.push(
        await run(
          client,
          options,
          true,
          "local DynamoDB, puts beside as many two-item transactions",
        ),
      );
    }
  } finally {
    client.destroy();
    plain.client.destroy();
    await Promise.all([dynamodb.stop(), plain.stop()]);
    await rm(dataDir, { recursive: true, force: true });
    await rm(plainDir, { recursive: true, force: true });
  }
  return Object.values(runs).map((rounds) => ({
    name: rounds[0]?.name ?? "",
    writesPerSecond: median(rounds.map((r) => r.writesPerSecond)),
    transactionsPerSecond: median(rounds.map((r) => r.transactionsPerSecond)),
    putMs: summarize(rounds.flatMap((r) => r.samples)),
  }));
}

const median = (values: number[]) => summarize(values).median;

async function run(
  client: DynamoDBClient,
  options: { seconds: number; workers: number },
  mix: boolean,
  name: string,
): Promise<Round> {
  const until = performance.now() + options.seconds * 1000;
  const putMs: number[] = [];
  let transactions = 0;
  const putter = async (worker: number) => {
    for (let i = 0; performance.now() < until; i++) {
      const started = performance.now();
      await client.send(
        new PutItemCommand({
          TableName: "Bench",
          Item: {
            pk: { S: `w${worker}-${i % 50}` },
            n: { N: String(i) },
            pad: { S: "x".repeat(200) },
          },
        }),
      );
      putMs.push(performance.now() - started);
    }
  };
  const transactor = async (worker: number) => {
    for (let i = 0; performance.now() < until; i++) {
      // Every other transaction writes an item a putter writes too.
      const shared = i % 2 === 0 ? `w${worker}-${i % 50}` : `t${worker}-${i % 50}-a`;
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: "Bench", Item: { pk: { S: shared }, n: { N: String(i) } } } },
            {
              Update: {
                TableName: "Bench",
                Key: { pk: { S: `t${worker}-${i % 50}-b` } },
                UpdateExpression: "ADD n :one",
                ExpressionAttributeValues: { ":one": { N: "1" } },
              },
            },
          ],
        }),
      );
      transactions += 1;
    }
  };
  const workers = Array.from({ length: options.workers }, (_, worker) => [
    putter(worker),
    ...(mix ? [transactor(worker)] : []),
  ]).flat();
  const started = performance.now();
  await Promise.all(workers);
  const seconds = (performance.now() - started) / 1000;
  return {
    name,
    writesPerSecond: Math.round(putMs.length / seconds),
    transactionsPerSecond: Math.round(transactions / seconds),
    samples: putMs,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const workers = Number(process.env.BENCH_WORKERS ?? 8);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  for (const result of await dynamodbThroughput({ seconds, workers, rounds })) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}
