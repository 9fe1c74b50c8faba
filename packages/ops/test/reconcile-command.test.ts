import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ephemeralConfig, type LocalStack, startLocalStack } from "@userprofile/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, SUMMARY_KEYS, startCli, summaryOf } from "./cli-process";
import { outputsOf } from "./seed";

/** The command's contract (exit codes, options, stdout); reconcile-cli.test.ts covers its work. */
let dir: string;
let stack: LocalStack;
let outputsFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reconcile-command-"));
  stack = await startLocalStack(ephemeralConfig(join(dir, "data")));
  outputsFile = join(dir, "outputs.json");
  await writeFile(outputsFile, JSON.stringify(outputsOf(stack)));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("pnpm users:reconcile as a command", () => {
  it("runs from the root script; `pnpm -s` keeps stdout to the one JSON object", async () => {
    const { done } = startCli(["--json"], { LOCAL_OUTPUTS_FILE: outputsFile }, [
      "pnpm",
      "-s",
      "users:reconcile",
    ]);
    const result = await done;
    expect(result.code).toBe(0);
    expect(Object.keys(summaryOf(result))).toHaveLength(SUMMARY_KEYS.length);
  });

  it("prints its usage with --help and refuses unknown options with exit 2", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--apply");
    const unknown = await runCli(["--aply"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--aply");
    expect(unknown.stdout).toBe("");
  });

  it("exits 2 with a hint when the local stack is not running", async () => {
    const result = await runCli(["--json"], { LOCAL_OUTPUTS_FILE: join(dir, "absent.json") });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("pnpm dev:local");
  });

  it("exits 2 naming the service it cannot reach", async () => {
    const closed = join(dir, "closed.json");
    await writeFile(
      closed,
      JSON.stringify({ ...outputsOf(stack), dynamodbEndpoint: "http://127.0.0.1:9" }),
    );
    const result = await runCli(["--outputs", closed, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/cannot reach the Users table .* \(ECONNREFUSED\)/);
  });

  it("--outputs takes a file of deploy outputs; a file without the table is refused", async () => {
    const ok = await runCli(["--outputs", outputsFile, "--json"]);
    expect(ok.code).toBe(0);
    const partial = join(dir, "partial.json");
    await writeFile(partial, JSON.stringify({ region: "eu-west-1", userPoolId: "x" }));
    const refused = await runCli(["--outputs", partial]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"usersTable"');
  });

  it("--stage reads the stage through `sst shell --stage` and uses the caller's credentials", async () => {
    // Stands in for the SST CLI: checks the arguments, then runs the command
    // with the environment `sst shell` gives it (the stage's links and region).
    const fakeSst = join(dir, "fake-sst.mjs");
    await writeFile(
      fakeSst,
      `#!${process.execPath}
import { spawnSync } from "node:child_process";
const [shell, flag, stage, dashes, ...command] = process.argv.slice(2);
if (shell !== "shell" || flag !== "--stage" || dashes !== "--") process.exit(9);
if (stage === "missing") { console.error("✕  Stage not found"); process.exit(1); }
const { status } = spawnSync(command[0], command.slice(1), { stdio: "inherit", env: {
  ...process.env,
  SST_RESOURCE_App: JSON.stringify({ name: "userprofile", stage }),
  SST_RESOURCE_UsersTable: JSON.stringify({ name: ${JSON.stringify(outputsOf(stack).usersTable)} }),
  SST_RESOURCE_UserPool: JSON.stringify({ id: ${JSON.stringify(outputsOf(stack).userPoolId)} }),
  AWS_REGION: ${JSON.stringify(outputsOf(stack).region)},
}});
process.exit(status ?? 1);
`,
    );
    await chmod(fakeSst, 0o755);
    // The caller's own environment: credentials, and here endpoints for the emulators.
    const caller = {
      SST_BIN: fakeSst,
      AWS_ACCESS_KEY_ID: "caller",
      AWS_SECRET_ACCESS_KEY: "caller",
      AWS_ENDPOINT_URL_DYNAMODB: outputsOf(stack).dynamodbEndpoint,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: outputsOf(stack).cognitoEndpoint,
    };
    const result = await runCli(["--stage", "qa"], caller);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stage qa");
    expect(result.stdout).toContain(`users scanned`);

    const missing = await runCli(["--stage", "missing", "--json"], caller);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("sst shell --stage missing");
  });

  it("stops on Ctrl-C with exit 130 and writes nothing", async () => {
    // An endpoint that accepts connections and never answers keeps the scan waiting.
    const silent: Server = createServer(() => {});
    const sockets: Socket[] = [];
    silent.on("connection", (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const hanging = join(dir, "hanging.json");
    await writeFile(
      hanging,
      JSON.stringify({ ...outputsOf(stack), dynamodbEndpoint: `http://127.0.0.1:${port}` }),
    );
    const connected = new Promise((resolve) => silent.once("connection", resolve));
    try {
      const { child, done } = startCli(["--outputs", hanging, "--apply"]);
      await connected;
      child.kill("SIGINT");
      const result = await done;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("Interrupted");
      expect(result.stdout).toBe("");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
