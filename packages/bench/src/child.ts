import { fork } from "node:child_process";
import { benchDir } from "./paths";

/** Environment of a child that runs bundles: like a Lambda container's, nothing of ours. */
export function lambdaEnvironment(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    ...extra,
  };
}

/**
 * Runs `src/runner/<script>` in a fresh Node process (no tsx, no inherited
 * flags), returns its one message and the wall time from spawn to message. The
 * child is killed then: open SDK sockets would keep it alive.
 */
export function runChild<T>(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ message: T; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(`${benchDir}src/runner/${script}`, args, {
      env,
      execArgv: [],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    let done = false;
    child.once("message", (message) => {
      done = true;
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve({ message: message as T, wallMs });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`${script} exited with ${code} before reporting\n${stderr}`));
    });
  });
}
