/** Live infra changes, as `sst dev` does: saving a file the app is made of re-plans it. */
import { type FSWatcher, watch } from "node:fs";
import { dirname, join } from "node:path";
import type { Evaluation } from "@userprofile/sst-offline/evaluate";
import type { LocalConfig } from "../config";
import type { Log, Stop } from "./services";

const SETTLE_MS = 150;

/**
 * Watches the files the evaluation was made of (sst.config.ts, infra/, what they import).
 * A change re-evaluates and applies the app; a failure is printed and the running stack
 * keeps serving what it served.
 */
export function watchInfra(
  config: LocalConfig,
  evaluation: Evaluation,
  reload: () => Promise<Evaluation>,
  log: Log,
): Stop {
  let files = new Set<string>();
  const watchers: FSWatcher[] = [];
  const watchInputs = (inputs: readonly string[]) => {
    for (const watcher of watchers.splice(0)) watcher.close();
    files = new Set([...inputs, "sst.config.ts"].map((path) => join(config.root, path)));
    for (const directory of new Set([...files].map((file) => dirname(file)))) {
      try {
        const watcher = watch(directory, (_event, name) => {
          if (name && files.has(join(directory, name.toString()))) schedule();
        });
        watcher.on("error", () => {});
        watchers.push(watcher);
      } catch {
        // A directory removed since the evaluation: nothing there to watch.
      }
    }
  };
  watchInputs(evaluation.inputs);

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let again = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      again = true;
      running = running.then(async () => {
        if (!again) return;
        again = false;
        log("sst.config.ts or an infra file changed: re-evaluating…");
        try {
          watchInputs((await reload()).inputs);
        } catch (error) {
          log(`${(error as Error).message}\nThe local stack keeps serving the app as it was.`);
        }
      });
    }, SETTLE_MS);
  };

  return async () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
    await running;
  };
}
