import { cp, mkdir, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../src/paths";

const fixture = fileURLToPath(new URL("../test/fixtures/app/", import.meta.url));

/**
 * A copy of a small app the project doesn't ship (test/fixtures/app: two APIs, a table with a
 * sort key and indexes, a pool with a trigger), to serve and edit as a developer would. It is
 * made inside the repository so its handlers resolve the workspace's packages.
 */
export async function copyFixtureApp(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = join(fixture, "..", `.live-${process.pid}-${Date.now()}`);
  await cp(fixture, root, { recursive: true, filter: (path) => !path.includes(".sst") });
  await mkdir(join(root, ".sst"));
  await symlink(join(repoRoot, ".sst", "platform"), join(root, ".sst", "platform"));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
