import { randomUUID } from "node:crypto";
import {
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { type BackoffSettings, backoffRetryStrategy } from "../src/aws-retry";
import { useLocalDynamoDB } from "./env";

const { endpoint, tableName } = useLocalDynamoDB();

describe("the wait before each retry", () => {
  /** The waits the strategy picks for the first `retries` retries of one throttled request. */
  async function waits(random: () => number, retries: number) {
    const strategy = backoffRetryStrategy({
      throttledAttempts: 20,
      transientAttempts: 1,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      random,
    });
    let token = await strategy.acquireInitialRetryToken("");
    const delays: number[] = [];
    for (let retry = 0; retry < retries; retry += 1) {
      token = await strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" });
      delays.push(token.getRetryDelay());
    }
    return delays;
  }

  it("is uniform below a ceiling that doubles each retry, up to the cap (full jitter)", async () => {
    expect(await waits(() => 0.9999, 11)).toEqual([
      99, 199, 399, 799, 999, 999, 999, 999, 999, 999, 999,
    ]);
    expect(await waits(() => 0, 4)).toEqual([0, 0, 0, 0]);
    expect((await waits(() => 0.5, 4))[3]).toBe(400);
  });
});

describe("backoffRetryStrategy", () => {
  const settings: BackoffSettings = {
    throttledAttempts: 4,
    transientAttempts: 2,
    baseDelayMs: 100,
    maxDelayMs: 1_000,
    random: () => 0.5,
  };
  const throttling = { errorType: "THROTTLING" as const };

  it("retries a throttled request up to its own limit, with growing jittered waits", async () => {
    const waits: number[] = [];
    const strategy = backoffRetryStrategy({ ...settings, onThrottle: (ms) => waits.push(ms) });
    let token = await strategy.acquireInitialRetryToken("");
    const delays: number[] = [];
    for (let retry = 0; retry < 3; retry += 1) {
      token = await strategy.refreshRetryTokenForRetry(token, throttling);
      delays.push(token.getRetryDelay());
    }
    expect(delays).toEqual([50, 100, 200]);
    expect(waits).toEqual(delays);
    await expect(strategy.refreshRetryTokenForRetry(token, throttling)).rejects.toBeDefined();
  });

  it("keeps no shared budget: many throttled requests each get their full retries", async () => {
    const strategy = backoffRetryStrategy(settings);
    for (let request = 0; request < 300; request += 1) {
      let token = await strategy.acquireInitialRetryToken("");
      for (let retry = 0; retry < 3; retry += 1) {
        token = await strategy.refreshRetryTokenForRetry(token, throttling);
      }
      expect(token.getRetryCount()).toBe(3);
    }
  });

  it("by default allows 12 attempts to a throttled request, 4 to a transient failure", async () => {
    const strategy = backoffRetryStrategy();
    const retriesAllowed = async (errorType: "THROTTLING" | "TRANSIENT") => {
      let token = await strategy.acquireInitialRetryToken("");
      for (;;) {
        try {
          token = await strategy.refreshRetryTokenForRetry(token, { errorType });
        } catch {
          return token.getRetryCount();
        }
      }
    };
    expect(await retriesAllowed("THROTTLING")).toBe(11);
    expect(await retriesAllowed("TRANSIENT")).toBe(3);
  });

  it("waits at least as long as the service's Retry-After, up to 20 s", async () => {
    const strategy = backoffRetryStrategy({ ...settings, random: () => 0 });
    const token = await strategy.acquireInitialRetryToken("");
    const soon = await strategy.refreshRetryTokenForRetry(token, {
      ...throttling,
      retryAfterHint: new Date(Date.now() + 3_000),
    });
    expect(soon.getRetryDelay()).toBeGreaterThan(2_500);
    expect(soon.getRetryDelay()).toBeLessThanOrEqual(3_000);
    const late = await strategy.refreshRetryTokenForRetry(token, {
      ...throttling,
      retryAfterHint: new Date(Date.now() + 600_000),
    });
    expect(late.getRetryDelay()).toBe(20_000);
  });

  it("retries transient failures less, never a client error, and reports only throttling", async () => {
    const throttled: number[] = [];
    const strategy = backoffRetryStrategy({ ...settings, onThrottle: (ms) => throttled.push(ms) });
    const token = await strategy.acquireInitialRetryToken("");
    const once = await strategy.refreshRetryTokenForRetry(token, { errorType: "TRANSIENT" });
    await expect(
      strategy.refreshRetryTokenForRetry(once, { errorType: "TRANSIENT" }),
    ).rejects.toBeDefined();
    await expect(
      strategy.refreshRetryTokenForRetry(token, { errorType: "CLIENT_ERROR" }),
    ).rejects.toThrow("Retries exhausted");
    expect(throttled).toEqual([]);
  });

  /** Fault injection: the table "throttles" the first `times` attempts of every request. */
  function throttlingClient(times: number, backoff: Partial<BackoffSettings> = {}) {
    const client = new DynamoDBClient({
      endpoint,
      region: "us-east-1",
      retryStrategy: backoffRetryStrategy({ ...settings, baseDelayMs: 5, ...backoff }),
    });
    const attempts: number[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        attempts.push(1);
        if (attempts.length <= times) {
          throw new ProvisionedThroughputExceededException({
            message: "Rate of requests exceeds the allowed throughput.",
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "injectThrottling" },
    );
    return { client, attempts };
  }

  it("is what the SDK follows: a throttled call succeeds once the table lets it through", async () => {
    const throttles: number[] = [];
    const { client, attempts } = throttlingClient(3, { onThrottle: (ms) => throttles.push(ms) });
    const result = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { UserID: { S: randomUUID() } } }),
    );
    expect(result.$metadata.attempts).toBe(4);
    expect(attempts).toHaveLength(4);
    expect(throttles).toHaveLength(3);
    client.destroy();
  });

  it("gives the throttling error back after the last attempt", async () => {
    const { client, attempts } = throttlingClient(10);
    await expect(
      client.send(new GetItemCommand({ TableName: tableName, Key: { UserID: { S: "x" } } })),
    ).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(attempts).toHaveLength(settings.throttledAttempts);
    client.destroy();
  });

  it("does not retry an error that retrying cannot fix", async () => {
    const { client, attempts } = throttlingClient(0);
    await expect(
      client.send(new GetItemCommand({ TableName: "NoSuchTable", Key: { UserID: { S: "x" } } })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(attempts).toHaveLength(1);
    client.destroy();
  });
});
