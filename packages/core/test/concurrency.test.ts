import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runTasks } from "../src/concurrency";

/** A task that resolves when told to, recording when it started and settled. */
function controlled(log: string[], name: string) {
  let finish!: (error?: Error) => void;
  const task = () =>
    new Promise<void>((resolve, reject) => {
      log.push(`start ${name}`);
      finish = (error) => {
        log.push(`end ${name}`);
        if (error) reject(error);
        else resolve();
      };
    });
  return { task, finish: (error?: Error) => finish(error) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("runTasks", () => {
  it("runs every task once, never more than `concurrency` at a time, starting them in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(3), { maxLength: 20 }),
        fc.integer({ min: -1, max: 6 }),
        async (delays, concurrency) => {
          let running = 0;
          let most = 0;
          const started: number[] = [];
          const tasks = delays.map((delay, i) => async () => {
            started.push(i);
            running += 1;
            most = Math.max(most, running);
            for (let t = 0; t < delay; t += 1) await tick();
            running -= 1;
          });
          const progress: number[] = [];
          const result = await runTasks(tasks, { concurrency, onDone: (n) => progress.push(n) });
          expect(result).toEqual({ done: delays.length });
          expect(started).toEqual(delays.map((_, i) => i));
          expect(most).toBeLessThanOrEqual(Math.max(1, concurrency));
          const firstWaits = (delays[0] ?? 0) > 0 && delays.length >= 2;
          if (firstWaits && concurrency >= 2) expect(most).toBeGreaterThan(1);
          expect(progress).toEqual(delays.map((_, i) => i + 1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("starts nothing after the first error, lets the tasks in flight settle, and reports that error", async () => {
    const log: string[] = [];
    const [a, b, c] = ["a", "b", "c"].map((name) => controlled(log, name)) as [
      ReturnType<typeof controlled>,
      ReturnType<typeof controlled>,
      ReturnType<typeof controlled>,
    ];
    const first = new Error("first");
    const running = runTasks([a.task, b.task, c.task], { concurrency: 2 });
    await tick();
    a.finish(first);
    await tick();
    b.finish(new Error("second"));
    const result = await running;
    expect(result).toEqual({ done: 0, error: first });
    expect(log).toEqual(["start a", "start b", "end a", "end b"]);
  });

  it("starts nothing once aborted and reports no error for what the abort broke", async () => {
    const log: string[] = [];
    const [a, b] = ["a", "b"].map((name) => controlled(log, name)) as [
      ReturnType<typeof controlled>,
      ReturnType<typeof controlled>,
    ];
    const interrupt = new AbortController();
    const running = runTasks([a.task, b.task], { concurrency: 1, signal: interrupt.signal });
    await tick();
    interrupt.abort();
    a.finish(new Error("aborted"));
    expect(await running).toEqual({ done: 0 });
    expect(log).toEqual(["start a", "end a"]);
  });

  it("counts a task that finishes after the abort, and starts none when aborted before", async () => {
    const interrupt = new AbortController();
    let ran = 0;
    const result = await runTasks(
      [
        async () => {
          interrupt.abort();
          ran += 1;
        },
        async () => {
          ran += 1;
        },
      ],
      { concurrency: 1, signal: interrupt.signal },
    );
    expect([result, ran]).toEqual([{ done: 1 }, 1]);
    expect(await runTasks([async () => {}], { concurrency: 1, signal: interrupt.signal })).toEqual({
      done: 0,
    });
  });
});
