/**
 * SST's platform (`.sst/platform`: component sources, config types, Pulumi's AWS provider),
 * installed without AWS credentials: evaluating or type-checking sst.config.ts needs it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The `sst` version the project pins, and the one whose platform is installed, if any. */
function versions(root: string) {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const wanted = manifest.devDependencies?.sst ?? manifest.dependencies?.sst;
  const versionFile = join(root, ".sst", "platform", "version");
  const installed = existsSync(versionFile) ? readFileSync(versionFile, "utf8").trim() : null;
  return { wanted, installed };
}

export function platformInstalled(root: string): boolean {
  const { wanted, installed } = versions(root);
  return (
    installed === wanted &&
    existsSync(join(root, ".sst", "platform", "node_modules", "@pulumi", "aws"))
  );
}

/** Installs the platform when it is missing or of another version; says so on `log`. */
export function ensurePlatform(root: string, log: (line: string) => void = console.log) {
  const { wanted } = versions(root);
  if (platformInstalled(root)) return;
  log(`Installing the SST platform ${wanted} (about a minute, first run only)...`);
  execFileSync(join(root, "node_modules", ".bin", "sst"), ["install"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      SST_STAGE: process.env.SST_STAGE ?? "offline",
      // Offline: skip the Pulumi/bun download check, use npm instead of bun, no telemetry.
      SST_SKIP_DEPENDENCY_CHECK: "1",
      SST_NO_BUN: "1",
      SST_TELEMETRY_DISABLED: "1",
    },
  });
}
