// Installs SST's platform (.sst/platform: component sources, config types and
// Pulumi's AWS provider) without AWS credentials. Type-checking sst.config.ts
// and the infrastructure tests need it. Skips the work when it is current.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const wanted = JSON.parse(readFileSync("package.json", "utf8")).devDependencies.sst;
const versionFile = ".sst/platform/version";
const installed = existsSync(versionFile) ? readFileSync(versionFile, "utf8").trim() : null;

if (installed === wanted && existsSync(".sst/platform/node_modules/@pulumi/aws")) {
  console.log(`SST platform ${wanted} is installed.`);
} else {
  console.log(`Installing the SST platform ${wanted} (about a minute)...`);
  execFileSync("pnpm", ["exec", "sst", "install"], {
    stdio: "inherit",
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
