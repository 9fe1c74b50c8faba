import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** Everything the local stack writes: git-ignored. */
export const localDir = `${repoRoot}.local`;
export const outputsFile = `${localDir}/outputs.json`;
