import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
/** Git-ignored scratch space: bundles, the generated baseline app, local stack data. */
export const cacheDir = `${benchDir}.cache`;
/** Every run's results (git-ignored). */
export const resultsFile = `${benchDir}results/latest.json`;
/** The committed record of the run docs/benchmarks.md quotes: written only by `pnpm bench --save`. */
export const recordedResultsFile = `${benchDir}results/recorded.json`;
