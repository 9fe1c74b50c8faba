/** Where React's `use` reads a promise's outcome, so a loaded value renders without suspending. */
type Tracked<T> = Promise<T> & {
  status?: "pending" | "fulfilled" | "rejected";
  value?: T;
  reason?: unknown;
};

/**
 * Loads once and keeps the promise; a failed load (a chunk that could not be
 * fetched) is forgotten, so the next call tries again.
 */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Tracked<T> | undefined;
  return () => {
    if (promise) return promise;
    const started: Tracked<T> = load();
    started.status = "pending";
    started.then(
      (value) => {
        started.status = "fulfilled";
        started.value = value;
      },
      (reason: unknown) => {
        started.status = "rejected";
        started.reason = reason;
        if (promise === started) promise = undefined;
      },
    );
    promise = started;
    return started;
  };
}
