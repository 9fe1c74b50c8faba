import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The command behind `pnpm users:reconcile`, run as an operator runs it. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  command: string[] = [process.execPath, "--import", "tsx", "packages/ops/src/reconcile-cli.ts"],
): { child: ChildProcess; done: Promise<CliResult> } {
  const [file, ...prefix] = command as [string, ...string[]];
  const child = spawn(file, [...prefix, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** The keys of the JSON summary `--json` prints. */
export const SUMMARY_KEYS = [
  "usersScanned",
  "profilesScanned",
  "missingProfiles",
  "orphanProfiles",
  "emailDrift",
  "unconfirmedUsers",
  "created",
  "updated",
  "deleted",
];

/** The one JSON object a `--json` run prints, checked for its keys and number values. */
export function summaryOf(result: CliResult) {
  const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
  expect(Object.keys(parsed).sort()).toEqual([...SUMMARY_KEYS].sort());
  for (const value of Object.values(parsed)) expect(typeof value).toBe("number");
  return parsed;
}
