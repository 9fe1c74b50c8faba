import { rm } from "node:fs/promises";
import { localConfig } from "./config";
import { PortInUseError } from "./net";
import { startLocalStack } from "./stack";

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
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack(config, { log: (line) => console.log(line) });
  } catch (error) {
    console.error(error instanceof PortInUseError ? error.message : error);
    process.exit(1);
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
  const { outputs } = stack;
  console.log(
    [
      "",
      `Local stack ready in ${seconds} s (no AWS account involved).`,
      outputs.webUrl ? `  Web app      ${outputs.webUrl}` : "",
      `  API          ${outputs.apiUrl}`,
      `  Mailbox      ${outputs.mailboxUrl}/<email>   (confirmation codes also print here)`,
      `  Control      ${outputs.controlUrl}   (local only: /clock, /trigger-failures)`,
      `  User pool    ${outputs.cognitoEndpoint}  ${outputs.userPoolId} / client ${outputs.userPoolClientId}`,
      `  DynamoDB     ${outputs.dynamodbEndpoint}  table ${outputs.usersTable}`,
      `  Outputs      ${config.outputsFile}`,
      "Ctrl-C stops everything; data stays until `pnpm reset:local`.",
      "",
    ]
      .filter((line) => line !== "")
      .join("\n"),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
