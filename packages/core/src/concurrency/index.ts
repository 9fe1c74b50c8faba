export interface RunOptions {
  /** At most this many tasks in flight at once; at least one. */
  concurrency: number;
  /** Once aborted, no further task starts; the ones in flight finish. */
  signal?: AbortSignal;
  /** After each task that succeeded, with how many have so far. */
  onDone?: (done: number) => void;
}

export interface RunResult {
  /** Tasks that succeeded. */
  done: number;
  /**
   * The first task's error: no task starts after it. An error thrown once
   * the signal is aborted is the abort's doing, not reported.
   */
  error?: unknown;
}

/**
 * Runs tasks in list order, a few at a time, until all are done, one fails,
 * or the signal aborts. Never rejects: a failure is in the result, and
 * every task that started has settled when it resolves.
 */
export async function runTasks(
  tasks: ReadonlyArray<() => Promise<void>>,
  options: RunOptions,
): Promise<RunResult> {
  const result: RunResult = { done: 0 };
  let next = 0;
  let failed = false;
  const stopped = () => failed || options.signal?.aborted === true;
  const worker = async () => {
    while (next < tasks.length && !stopped()) {
      const task = tasks[next] as () => Promise<void>;
      next += 1;
      try {
        await task();
      } catch (error) {
        if (options.signal?.aborted) return;
        if (!failed) result.error = error;
        failed = true;
        return;
      }
      result.done += 1;
      options.onDone?.(result.done);
    }
  };
  const workers = Math.min(tasks.length, Math.max(1, Math.floor(options.concurrency)));
  await Promise.all(Array.from({ length: workers }, worker));
  return result;
}
