/**
 * Controls the order in which concurrent requests reach the real emulators:
 * wraps an AWS SDK client so that the next call of a given command can be held
 * (before it is sent, or after its answer came back) or made to fail once.
 */
interface Sendable {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK clients' send is overloaded per command
  send(command: any): Promise<any>;
}

interface Hold {
  command: string;
  at: "before" | "after";
  reached: () => void;
  released: Promise<void>;
}

interface Failure {
  command: string;
  error: Error;
}

export interface Gate {
  /** Resolves once the held call has got there. */
  reached: Promise<void>;
  release(): void;
}

export function interleaved<T extends Sendable>(target: T) {
  const holds: Hold[] = [];
  const failures: Failure[] = [];
  const calls: string[] = [];
  const take = <E extends { command: string }>(list: E[], match: (entry: E) => boolean) => {
    const index = list.findIndex(match);
    return index === -1 ? undefined : list.splice(index, 1)[0];
  };
  const wait = async (command: string, at: Hold["at"]) => {
    const hold = take(holds, (h) => h.command === command && h.at === at);
    if (!hold) return;
    hold.reached();
    await hold.released;
  };

  const client = Object.create(target) as T;
  client.send = async (command: { constructor: { name: string } }) => {
    const name = command.constructor.name;
    calls.push(name);
    await wait(name, "before");
    const failure = take(failures, (f) => f.command === name);
    if (failure) throw failure.error;
    const result = await target.send(command);
    await wait(name, "after");
    return result;
  };

  return {
    client,
    /** Names of the commands sent, in order. */
    calls,
    /** Holds the next `command` until released. */
    hold(command: string, at: Hold["at"]): Gate {
      let reached!: () => void;
      let release!: () => void;
      const gate: Gate = {
        reached: new Promise<void>((resolve) => {
          reached = resolve;
        }),
        release: () => release(),
      };
      holds.push({
        command,
        at,
        reached,
        released: new Promise<void>((resolve) => {
          release = resolve;
        }),
      });
      return gate;
    },
    /** Makes the next `command` fail with `error` without sending it. */
    failNext(command: string, error: Error) {
      failures.push({ command, error });
    },
  };
}
