import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./paths";
import { type Summary, summarize } from "./stats";

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("No free port");
  return address.port;
}

/**
 * `node --import tsx packages/local/src/cli.ts start` on free ports with its
 * own data dir: milliseconds from spawn until `outputs.json` exists. Then
 * SIGTERM, and wait for the exit, so nothing is left running.
 */
async function timeToReady(extraEnv: Record<string, string>, script: string[]) {
  const dir = await mkdtemp(join(tmpdir(), "bench-ready-"));
  const outputs = join(dir, "outputs.json");
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOCAL_DYNAMODB_PORT: String(await freePort()),
    LOCAL_COGNITO_PORT: String(await freePort()),
    LOCAL_LAMBDA_PORT: String(await freePort()),
    LOCAL_API_PORT: String(await freePort()),
    LOCAL_MAILBOX_PORT: String(await freePort()),
    LOCAL_WEB_PORT: String(await freePort()),
    LOCAL_CONTROL_PORT: String(await freePort()),
    LOCAL_DATA_DIR: join(dir, "data"),
    LOCAL_OUTPUTS_FILE: outputs,
    ...extraEnv,
  };
  delete env.NODE_OPTIONS;
  const started = performance.now();
  const child = spawn(process.execPath, script, { cwd: repoRoot, env, stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let readyMs = Number.NaN;
  try {
    while (performance.now() - started < 60_000) {
      if (existsSync(outputs)) {
        readyMs = performance.now() - started;
        break;
      }
      if (child.exitCode !== null) throw new Error(`Local stack exited with ${child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  }
  return readyMs;
}

export interface ReadyResult {
  /** With the evaluation of sst.config.ts cached (the usual start). */
  full: Summary;
  /** With no cached evaluation: sst.config.ts evaluated first (after a change to infra/). */
  firstStart: Summary;
  backendOnly: Summary;
  /** Node with tsx loading an empty module: the floor of the command. */
  floor: Summary;
}

export async function localStackReady(runs: number): Promise<ReadyResult> {
  const cli = ["--import", "tsx", "packages/local/src/cli.ts", "start"];
  const floorScript = [
    "--import",
    "tsx",
    "-e",
    "require('node:fs').writeFileSync(process.env.LOCAL_OUTPUTS_FILE, '{}'); setInterval(() => {}, 1000)",
  ];
  const samples = {
    full: [] as number[],
    firstStart: [] as number[],
    backendOnly: [] as number[],
    floor: [] as number[],
  };
  for (let i = 0; i < runs; i++) {
    samples.floor.push(await timeToReady({}, floorScript));
    const cache = await mkdtemp(join(tmpdir(), "bench-cache-"));
    samples.firstStart.push(await timeToReady({ LOCAL_CACHE_DIR: cache }, cli));
    samples.full.push(await timeToReady({ LOCAL_CACHE_DIR: cache }, cli));
    await rm(cache, { recursive: true, force: true });
    samples.backendOnly.push(await timeToReady({ LOCAL_WEB: "false" }, cli));
  }
  return {
    full: summarize(samples.full),
    firstStart: summarize(samples.firstStart),
    backendOnly: summarize(samples.backendOnly),
    floor: summarize(samples.floor),
  };
}
