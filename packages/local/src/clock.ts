/**
 * The local stack's notion of "now": real time plus an offset that only moves
 * forward. Code expiry, token times and sign-in sessions read it, so a test
 * can let a day pass in a millisecond (see the control server). The offset
 * lives in memory: a restarted stack starts on real time again.
 */
export interface LocalClock {
  now(): Date;
  /** Seconds added to real time so far. */
  readonly offsetSeconds: number;
  /** Moves the clock forward; seconds must be a finite number ≥ 0. */
  advance(seconds: number): void;
  /** Back to real time. */
  reset(): void;
}

export function createLocalClock(realTime: () => number = Date.now): LocalClock {
  let offsetSeconds = 0;
  return {
    now: () => new Date(realTime() + offsetSeconds * 1000),
    get offsetSeconds() {
      return offsetSeconds;
    },
    advance(seconds: number) {
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError("The clock only moves forward by a finite number of seconds.");
      }
      offsetSeconds += seconds;
    },
    reset() {
      offsetSeconds = 0;
    },
  };
}
