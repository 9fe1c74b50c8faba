import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot } from "../src/paths";

export async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Every documented variable set: free ports, data and outputs under `dir`. */
export async function cliEnvironment(dir: string) {
  const [dynamodb, cognito, lambda, api, mailbox, web, control] = await Promise.all(
    Array.from({ length: 7 }, freePort),
  );
  return {
    ...process.env,
    LOCAL_DYNAMODB_PORT: String(dynamodb),
    LOCAL_COGNITO_PORT: String(cognito),
    LOCAL_LAMBDA_PORT: String(lambda),
    LOCAL_API_PORT: String(api),
    LOCAL_MAILBOX_PORT: String(mailbox),
    LOCAL_WEB_PORT: String(web),
    LOCAL_CONTROL_PORT: String(control),
    LOCAL_DATA_DIR: join(dir, "data"),
    LOCAL_OUTPUTS_FILE: join(dir, "outputs.json"),
  };
}

/**
 * The command behind `pnpm dev:local`, as a user runs it, in its own process
 * group (as a terminal would start it). `root` is the checkout it runs from.
 */
export function startCli(
  env: NodeJS.ProcessEnv,
  options: { root?: string; nodeArgs?: string[]; command?: string[] } = {},
) {
  const command = options.command ?? [
    process.execPath,
    ...(options.nodeArgs ?? []),
    "--import",
    "tsx",
    "packages/local/src/cli.ts",
    "start",
  ];
  const child = spawn(command[0] as string, command.slice(1), {
    cwd: options.root ?? repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exit,
    output: () => output,
    /** Ends the whole group, whatever state it is in. */
    kill() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    },
  };
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  ms = 60_000,
) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const refused = (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );
