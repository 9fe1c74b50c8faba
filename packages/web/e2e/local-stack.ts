import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalOutputs, readLiveOutputs } from "@userprofile/local";

/** What this app's `run()` returns (sst.config.ts) beside the local stack's endpoints. */
export type StackOutputs = LocalOutputs & {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  cognitoEndpoint: string;
  usersTable: string;
  apiUrl: string;
  webUrl: string;
};

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** Where `pnpm dev:local` writes its outputs: LOCAL_OUTPUTS_FILE (from the repository root), as the stack reads it. */
const outputsFile = resolve(repoRoot, process.env.LOCAL_OUTPUTS_FILE || ".local/outputs.json");

export async function readStackOutputs(): Promise<StackOutputs | undefined> {
  return ((await readLiveOutputs(outputsFile)) ?? undefined) as StackOutputs | undefined;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** outputs.json can outlive a stack that was killed; trust it only if its process lives and every service answers. */
export async function runningStack(): Promise<StackOutputs | undefined> {
  const outputs = await readStackOutputs();
  if (!outputs?.webUrl) return undefined;
  const up = await Promise.all(
    [
      outputs.webUrl,
      outputs.apiUrl,
      outputs.cognitoEndpoint,
      outputs.dynamodbEndpoint,
      `${outputs.mailboxUrl}/probe%40example.com`,
      `${outputs.controlUrl}/clock`,
    ].map(answers),
  );
  return up.every(Boolean) ? outputs : undefined;
}

/** The global setup hands the running stack's outputs to the tests in this variable. */
export const OUTPUTS_VARIABLE = "E2E_LOCAL_STACK_OUTPUTS";

export interface StartedStack {
  outputs: StackOutputs;
  stop(): Promise<void>;
}

/** Runs `pnpm dev:local` in its own process group, so stopping it leaves no orphans. */
export async function startStack(timeoutMs = 120_000): Promise<StartedStack> {
  const child: ChildProcess = spawn("pnpm", ["dev:local"], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let log = "";
  child.stdout?.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    log += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!done) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`pnpm dev:local exited with ${child.exitCode} before it was ready:\n${log}`);
    }
    if (/ready in/i.test(log)) {
      const outputs = await runningStack();
      if (outputs) return { outputs, stop };
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`pnpm dev:local was not ready within ${timeoutMs / 1000} s:\n${log}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
