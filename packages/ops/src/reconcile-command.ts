import { quietSdkNodeWarning } from "@userprofile/core/aws-tools";
import { Reconcile } from "@userprofile/core/reconcile";
import { type Options, parseOptions, USAGE, UsageError } from "./args";
import { reconcileClients } from "./clients";
import { describeError } from "./errors";
import { progressDisplay } from "./progress";
import { idListText, jsonReport, textReport } from "./report";
import { fileTarget, localTarget, stageTarget, type Target, TargetError } from "./target";

quietSdkNodeWarning();

export const EXIT = { clean: 0, drift: 1, error: 2, interrupted: 130 } as const;

const stdout = (text: string) => process.stdout.write(text);
const stderr = (text: string) => process.stderr.write(text);

async function resolveTarget(options: Options, signal: AbortSignal): Promise<Target> {
  if (options.stage !== undefined) return stageTarget(options.stage, signal);
  if (options.outputs !== undefined) return fileTarget(options.outputs);
  return localTarget();
}

export async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr(`users:reconcile: ${error.message}\nRun with --help for the options.\n`);
    return EXIT.error;
  }
  if (options.help) {
    stdout(`${USAGE}\n`);
    return EXIT.clean;
  }

  // First Ctrl-C: stop reading, start no new write, let the writes in flight
  // finish (each is one conditional request, so none is left half-done).
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    stderr("\nInterrupted: finishing the writes in flight (Ctrl-C again to quit now)…\n");
    interrupt.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const interrupted = () => {
    stderr("Interrupted. Every write is conditional and idempotent: run the command again.\n");
    return EXIT.interrupted;
  };

  let target: Target;
  try {
    target = await resolveTarget(options, interrupt.signal);
  } catch (error) {
    if (interrupt.signal.aborted) return interrupted();
    if (!(error instanceof TargetError)) throw error;
    stderr(`users:reconcile: ${error.message}\n`);
    return EXIT.error;
  }

  const progress = progressDisplay(process.stderr, !options.json);
  const clients = reconcileClients(target, {
    onThrottle: (delayMs) => progress.throttled(delayMs),
  });
  try {
    let findings: Reconcile.Findings;
    try {
      findings = await Reconcile.scan(clients.deps, {
        signal: interrupt.signal,
        onProgress: progress.update,
      });
    } catch (error) {
      progress.clear();
      if (interrupt.signal.aborted) return interrupted();
      stderr(`users:reconcile: ${describeError(error, target)}\n`);
      return EXIT.error;
    }

    let outcome: Reconcile.Outcome | null = null;
    if (options.apply) {
      outcome = await Reconcile.apply(clients.deps, findings, {
        prune: options.prune,
        signal: interrupt.signal,
        onProgress: progress.update,
      });
    }
    progress.clear();

    if (options.json) {
      stdout(jsonReport(findings, outcome));
      if (options.verbose) stderr(`${idListText(findings).trimStart()}\n`);
    } else {
      stdout(
        textReport({
          target: target.description,
          findings,
          outcome,
          prune: options.prune,
          verbose: options.verbose,
        }),
      );
    }
    if (outcome?.error !== undefined) {
      stderr(
        `users:reconcile: a write failed, so the rest were not tried (the counts above are what was done): ${describeError(outcome.error, target)}\n`,
      );
      return EXIT.error;
    }
    if (outcome?.interrupted) return interrupted();
    return Reconcile.remainingDrift(findings, outcome, options) === 0 ? EXIT.clean : EXIT.drift;
  } finally {
    clients.destroy();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
