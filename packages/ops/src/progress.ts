import type { Reconcile } from "@userprofile/core/reconcile";

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressDisplay {
  update(progress: Reconcile.Progress): void;
  throttled(delayMs: number): void;
  /** Clears the line so the report starts on a clean one. */
  clear(): void;
}

const count = (n: number) => n.toLocaleString("en-US");

function progressLine(progress: Reconcile.Progress, throttles: number, width: number): string {
  let line: string;
  if (progress.phase === "profiles") {
    line = `Scanning the Users table   ${count(progress.done)} items`;
  } else if (progress.phase === "users") {
    line = `Listing the user pool      ${count(progress.done)} users`;
  } else {
    const label = `${count(progress.done)}/${count(progress.total)}`;
    const barWidth = Math.max(10, Math.min(40, width - 40));
    const filled = progress.total
      ? Math.round((progress.done / progress.total) * barWidth)
      : barWidth;
    line = `Applying  [${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${label}`;
  }
  if (throttles > 0) line += `  (throttled ${count(throttles)}×, backing off)`;
  return line.slice(0, Math.max(20, width - 1));
}

/**
 * One self-rewriting line on stderr, only on a terminal: piped output and
 * --json stay free of control characters.
 */
export function progressDisplay(stream: ProgressStream, enabled: boolean): ProgressDisplay {
  if (!enabled || !stream.isTTY) {
    return { update() {}, throttled() {}, clear() {} };
  }
  let last: Reconcile.Progress | undefined;
  let throttles = 0;
  let drawnAt = 0;
  let drawn = false;
  const draw = (force: boolean) => {
    if (!last) return;
    const now = Date.now();
    if (!force && now - drawnAt < 80) return;
    drawnAt = now;
    drawn = true;
    stream.write(`\r\x1b[2K${progressLine(last, throttles, stream.columns || 80)}`);
  };
  return {
    update(progress) {
      const phaseChanged = last?.phase !== progress.phase;
      last = progress;
      draw(phaseChanged || (progress.phase === "apply" && progress.done === progress.total));
    },
    throttled() {
      throttles += 1;
      draw(false);
    },
    clear() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
