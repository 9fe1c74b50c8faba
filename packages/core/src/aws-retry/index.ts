import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

type RetryStrategyV2 = Extract<
  NonNullable<DynamoDBClientConfig["retryStrategy"]>,
  { acquireInitialRetryToken: unknown }
>;
type RetryToken = Awaited<ReturnType<RetryStrategyV2["acquireInitialRetryToken"]>>;
type RetryErrorInfo = Parameters<RetryStrategyV2["refreshRetryTokenForRetry"]>[1];

export interface BackoffSettings {
  /** Attempts per request when the service throttles (TooManyRequests, ProvisionedThroughputExceeded…). */
  throttledAttempts: number;
  /** Attempts per request on a transient failure (timeout, reset connection, 5xx). */
  transientAttempts: number;
  /** The first retry waits up to this long; each further retry doubles the ceiling. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Called before each wait after a throttling error; `delayMs` is the chosen wait. */
  onThrottle?: (delayMs: number) => void;
  /** Uniform in [0, 1); replaceable so tests can pin the jitter. */
  random?: () => number;
}

/** Defaults for long batch jobs: patient with throttling (worst case ~2.5 minutes a request). */
export const batchBackoff: BackoffSettings = {
  throttledAttempts: 12,
  transientAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
};

/** "Full jitter": a uniformly random wait below an exponentially growing ceiling. */
function fullJitterDelay(
  retry: number,
  settings: Pick<BackoffSettings, "baseDelayMs" | "maxDelayMs" | "random">,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry);
  return Math.floor((settings.random ?? Math.random)() * ceiling);
}

class Token implements RetryToken {
  constructor(
    private readonly retries: number,
    private readonly delayMs: number,
  ) {}
  getRetryCount() {
    return this.retries;
  }
  getRetryDelay() {
    return this.delayMs;
  }
}

/**
 * An AWS SDK v3 retry strategy for batch jobs. The SDK's own standard mode
 * also backs off with full jitter, but it spends from a shared retry budget
 * (500 tokens, 5 per throttled retry) and then fails fast, which a job that
 * pages through a whole user pool at the service's rate limit drains. This one
 * has no shared budget: each request is retried up to its own limit, using
 * the SDK's classification of errors (throttling vs transient vs final).
 * The SDK waits the token's delay itself, and stops waiting when the
 * request's abort signal fires.
 */
export function backoffRetryStrategy(settings: BackoffSettings = batchBackoff): RetryStrategyV2 {
  return {
    async acquireInitialRetryToken() {
      return new Token(0, 0);
    },
    async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo) {
      const retries = token.getRetryCount();
      const limit =
        info.errorType === "THROTTLING"
          ? settings.throttledAttempts
          : info.errorType === "TRANSIENT"
            ? settings.transientAttempts
            : 1;
      if (retries + 1 >= limit) throw info.error ?? new Error("Retries exhausted");
      let delayMs = fullJitterDelay(retries, settings);
      if (info.retryAfterHint instanceof Date) {
        delayMs = Math.max(delayMs, Math.min(info.retryAfterHint.getTime() - Date.now(), 20_000));
      }
      if (info.errorType === "THROTTLING") settings.onThrottle?.(delayMs);
      return new Token(retries + 1, delayMs);
    },
    recordSuccess() {},
  };
}
