// Runs `pnpm install` when node_modules is missing or older than the lockfile,
// so the README's two commands work on a fresh clone and cost ~0 s afterwards.
// It writes to stderr only: `pnpm -s users:reconcile --json` keeps stdout for its JSON.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const installedLock = "node_modules/.pnpm/lock.yaml";
const current =
  existsSync(installedLock) &&
  readFileSync(installedLock, "utf8") === readFileSync("pnpm-lock.yaml", "utf8");

if (!current) {
  console.error("Installing dependencies (pnpm install)...");
  execFileSync("pnpm", ["install", "--frozen-lockfile"], { stdio: [0, 2, 2] });
}
