import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/paths";

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "local-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function environment() {
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

/** The command behind `pnpm dev:local`, as a user runs it. */
function startCli(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/local/src/cli.ts", "start"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, exit, output: () => output };
}

async function waitFor(condition: () => boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const refused = (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );

describe("pnpm dev:local", () => {
  let cli: ReturnType<typeof startCli> | undefined;
  afterAll(() => {
    if (cli && cli.child.exitCode === null) cli.child.kill("SIGKILL");
  });

  it("writes outputs.json when ready, serves every part, and stops cleanly on SIGTERM", async () => {
    const env = await environment();
    const outputsFile = env.LOCAL_OUTPUTS_FILE;
    cli = startCli(env);
    await waitFor(() => existsSync(outputsFile), "outputs.json");
    const outputs = JSON.parse(readFileSync(outputsFile, "utf8"));
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "apiUrl",
        "cognitoEndpoint",
        "controlUrl",
        "dynamodbEndpoint",
        "mailboxUrl",
        "region",
        "usersTable",
        "userPoolClientId",
        "userPoolId",
        "webUrl",
      ].sort(),
    );
    expect(outputs.webUrl).toBe(`http://localhost:${env.LOCAL_WEB_PORT}`);
    expect(outputs.apiUrl).toContain(`:${env.LOCAL_API_PORT}`);
    expect(outputs.controlUrl).toBe(`http://127.0.0.1:${env.LOCAL_CONTROL_PORT}`);
    await waitFor(() => cli?.output().includes("Local stack ready") ?? false, "the ready banner");
    expect(cli.output()).toContain(outputs.webUrl);

    expect((await fetch(outputs.webUrl)).status).toBe(200);
    expect((await fetch(`${outputs.apiUrl}/me`)).status).toBe(401);
    expect(await (await fetch(`${outputs.mailboxUrl}/nobody%40example.com`)).json()).toEqual([]);
    expect(cli.output()).toContain(outputs.controlUrl);
    expect(await (await fetch(`${outputs.controlUrl}/clock`)).json()).toMatchObject({
      offsetSeconds: 0,
    });

    cli.child.kill("SIGTERM");
    expect(await cli.exit).toBe(0);
    expect(existsSync(outputsFile)).toBe(false);
    for (const url of [
      outputs.webUrl,
      outputs.apiUrl,
      outputs.cognitoEndpoint,
      outputs.dynamodbEndpoint,
      outputs.mailboxUrl,
      outputs.controlUrl,
    ]) {
      expect(await refused(url)).toBe(true);
    }
  });

  it("names a busy port and the variable that moves it", async () => {
    const env = await environment();
    const blocker = createServer();
    const port = Number(env.LOCAL_API_PORT);
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const run = startCli(env);
      expect(await run.exit).toBe(1);
      expect(run.output()).toContain(`Port ${port} is already in use`);
      expect(run.output()).toContain("LOCAL_API_PORT");
      expect(existsSync(env.LOCAL_OUTPUTS_FILE)).toBe(false);
    } finally {
      blocker.close();
    }
  });
});
