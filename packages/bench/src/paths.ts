import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("..", import.meta.url));
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
/** Git-ignored scratch space: bundles, the generated baseline app, local stack data. */
export const cacheDir = `${benchDir}.cache`;
export const resultsFile = `${benchDir}results/latest.json`;
