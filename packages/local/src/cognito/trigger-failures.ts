/**
 * A count of upcoming trigger attempts that fail as a throwing function
 * would, without running it: how the local control makes "the trigger
 * failed" reproducible.
 */
export interface TriggerFailures {
  readonly remaining: number;
  set(count: number): void;
  /** Uses up one injected failure; false when none is left. */
  take(): boolean;
}

export function createTriggerFailures(): TriggerFailures {
  let remaining = 0;
  return {
    get remaining() {
      return remaining;
    },
    set(count: number) {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError("The failure count must be a whole number ≥ 0.");
      }
      remaining = count;
    },
    take() {
      if (remaining === 0) return false;
      remaining -= 1;
      return true;
    },
  };
}

/** The error message of an injected failure, as the client sees it inside UserLambdaValidationException. */
export const INJECTED_FAILURE_MESSAGE = "Failure injected by the local control (trigger-failures)";
