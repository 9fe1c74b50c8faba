import { rm } from "node:fs/promises";
import { ensurePlatform } from "@userprofile/sst-offline/platform";
import { localConfig } from "./config";
import { PortInUseError } from "./net";
import { removeOwnOutputsSync, StackRunningError } from "./outputs-file";
import {
  EvaluationError,
  type LocalStack,
  startLocalStack,
  UnservableAppError,
} from "./stack/index";

// The SDK warns on every start that releases after January 2027 need Node 22;
// the lockfile pins a release that supports Node 20, so the warning is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const command = process.argv[2] ?? "start";

if (command === "reset") {
  const { dataDir, outputsFile } = localConfig();
  await rm(dataDir, { recursive: true, force: true });
  if (outputsFile) await rm(outputsFile, { force: true });
  console.log(`Local data wiped (${dataDir}).`);
} else if (command === "start") {
  await start();
} else {
  console.error(`Unknown command "${command}". Use "start" or "reset".`);
  process.exit(2);
}

async function start() {
  const startedAt = performance.now();
  const config = localConfig();
  let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;

  // However the process ends, it must not leave an outputs.json that points
  // clients at a dead stack. (SIGKILL runs no handler: the file's pid tells.)
  const outputsFile = config.outputsFile;
  if (outputsFile) process.on("exit", () => removeOwnOutputsSync(outputsFile));
  let crashed = false;
  const crash = async (error: unknown) => {
    if (crashed) return;
    crashed = true;
    console.error("The local stack crashed:", error);
    if (outputsFile) removeOwnOutputsSync(outputsFile);
    // Stop what still stops (flushing the pool's data) in a bounded time.
    await Promise.race([stack?.stop(), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    process.exit(1);
  };
  process.on("uncaughtException", (error) => void crash(error));
  process.on("unhandledRejection", (reason) => void crash(reason));
  // Listening from the start: a Ctrl-C while the stack starts stops it once started.
  const stopRequested = new Promise<string>((resolve) => {
    process.on("SIGINT", () => resolve("SIGINT"));
    process.on("SIGTERM", () => resolve("SIGTERM"));
  });

  try {
    // A fresh clone has no SST platform yet: evaluating sst.config.ts needs it.
    ensurePlatform(config.root);
    stack = await startLocalStack(config, { log: (line) => console.log(line) });
  } catch (error) {
    const expected =
      error instanceof PortInUseError ||
      error instanceof StackRunningError ||
      error instanceof UnservableAppError ||
      error instanceof EvaluationError;
    console.error(expected ? error.message : error);
    process.exit(1);
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
  const running = stack;
  const { outputs } = running;
  console.log(readySummary(running, seconds, config.outputsFile));
  console.log(`\n${await stopRequested}: stopping the local stack...`);
  await running.stop();
  process.exit(0);
}

/** What the terminal shows once the stack is ready: every service it serves, by name. */
function readySummary(stack: LocalStack, seconds: string, outputsFile: string | null) {
  const { outputs, app } = stack;
  const lines = [
    "",
    `Local stack ready in ${seconds} s (no AWS account involved).`,
    outputs.webUrl ? `  Web app      ${outputs.webUrl}` : "",
    ...app.httpApis.map(
      (api) => `  HTTP API     ${stack.localUrl(api.deployedUrl)}  (${api.origin.name})`,
    ),
    ...app.userPools.map(
      (pool) =>
        `  User pool    ${outputs.cognitoEndpoint}  ${pool.id} (${pool.origin.name}), clients ${pool.clients.map((client) => client.id).join(", ")}`,
    ),
    `  DynamoDB     ${outputs.dynamodbEndpoint}  ${app.tables.map((table) => table.name).join(", ") || "no tables"}`,
    `  Mailbox      ${outputs.mailboxUrl}/<email>   (codes also print here)`,
    `  Control      ${outputs.controlUrl}   (local only: /clock, /trigger-failures)`,
    outputsFile ? `  Outputs      ${outputsFile}` : "",
    "Ctrl-C stops everything; data stays until `pnpm reset:local`.",
    "",
  ];
  return lines.filter((line) => line !== "").join("\n");
}
