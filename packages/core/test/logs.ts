/**
 * Captures what the code under test logs, line by line: the log module writes to stdout/stderr directly,
 * and anything else may use the console.
 */
export function captureLogs() {
  const lines: string[] = [];
  const original = {
    info: console.info,
    warn: console.warn,
    error: console.error,
    log: console.log,
  };
  for (const level of ["info", "warn", "error", "log"] as const) {
    console[level] = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
  }
  const streams = [process.stdout, process.stderr] as const;
  const writes = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      return true;
    }) as typeof stream.write;
  }
  return {
    lines,
    restore: () => {
      Object.assign(console, original);
      streams.forEach((stream, i) => {
        stream.write = writes[i] as typeof stream.write;
      });
    },
  };
}
