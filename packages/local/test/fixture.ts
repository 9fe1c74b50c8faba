import { existsSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { repoRoot } from "../src/paths";

/** The fixture app in test/fixtures/app, ready to evaluate: the platform linked in. */
export async function fixtureRoot(): Promise<string> {
  const root = fileURLToPath(new URL("./fixtures/app/", import.meta.url));
  const platform = join(root, ".sst", "platform");
  if (!existsSync(platform)) {
    await mkdir(join(root, ".sst"), { recursive: true });
    await symlink(join(repoRoot, ".sst", "platform"), platform).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    });
  }
  return root;
}
