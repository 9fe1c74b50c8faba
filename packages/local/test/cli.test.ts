import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { get as httpGet } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readLiveOutputs } from "../src/outputs-file";
import { repoRoot } from "../src/paths";
import { cliEnvironment, refused, startCli, waitFor } from "./cli-process";
import { signedHeaders } from "./signed";

let dir: string;
const running: Array<ReturnType<typeof startCli>> = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "local-cli-"));
});
afterEach(() => {
  for (const cli of running.splice(0)) cli.kill();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(...args: Parameters<typeof startCli>) {
  const cli = startCli(...args);
  running.push(cli);
  return cli;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

/**
 * A checkout as `git clone` leaves it (no `.local/`), sharing this one's
 * installed node_modules so that no install is needed.
 */
async function freshClone() {
  const root = await mkdtemp(join(tmpdir(), "local-clone-"));
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: repoRoot,
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter((file) => file && existsSync(join(repoRoot, file)));
  for (const file of files) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await copyFile(join(repoRoot, file), join(root, file));
  }
  // Installed dependencies, as after `pnpm install` and the first platform install.
  await symlink(join(repoRoot, "node_modules"), join(root, "node_modules"));
  await mkdir(join(root, ".sst"));
  await symlink(join(repoRoot, ".sst", "platform"), join(root, ".sst", "platform"));
  for (const name of await readdir(join(repoRoot, "packages"))) {
    const modules = join(repoRoot, "packages", name, "node_modules");
    if (existsSync(modules)) await symlink(modules, join(root, "packages", name, "node_modules"));
  }
  expect(existsSync(join(root, ".local"))).toBe(false);
  return root;
}

describe("pnpm dev:local", () => {
  it("writes outputs.json when ready, serves every part, and stops cleanly on SIGTERM", async () => {
    const env = await cliEnvironment(dir);
    const outputsFile = env.LOCAL_OUTPUTS_FILE;
    const cli = start(env);
    await waitFor(() => existsSync(outputsFile), "outputs.json");
    const outputs = readJson(outputsFile);
    // What sst.config.ts's run() returns, with local values, beside the local endpoints.
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        "apiUrl",
        "region",
        "siteUrl",
        "usersTable",
        "userPoolClientId",
        "userPoolId",
        "cognitoEndpoint",
        "controlUrl",
        "dynamodbEndpoint",
        "lambdaEndpoint",
        "mailboxUrl",
        "pid",
        "webUrl",
      ]),
    );
    expect(outputs.pid).toBe(cli.child.pid);
    expect(outputs.siteUrl).toBe(outputs.webUrl);
    expect(outputs.webUrl).toBe(`http://localhost:${env.LOCAL_WEB_PORT}`);
    expect(outputs.apiUrl).toContain(`:${env.LOCAL_API_PORT}`);
    expect(outputs.controlUrl).toBe(`http://127.0.0.1:${env.LOCAL_CONTROL_PORT}`);
    await waitFor(() => cli.output().includes("Local stack ready"), "the ready banner");
    expect(cli.output()).toContain(outputs.webUrl);
    // Every served API, pool and table, as the app names them; nothing read from app outputs.
    expect(cli.output()).toContain(`HTTP API     ${outputs.apiUrl}  (Api)`);
    expect(cli.output()).toContain(
      `${outputs.userPoolId} (Auth), clients ${outputs.userPoolClientId}`,
    );
    expect(cli.output()).toContain(String(outputs.usersTable));

    expect((await fetch(outputs.webUrl)).status).toBe(200);
    expect((await fetch(`${outputs.apiUrl}/me`)).status).toBe(401);
    expect(await (await fetch(`${outputs.mailboxUrl}/nobody%40example.com`)).json()).toEqual([]);
    expect(cli.output()).toContain(outputs.controlUrl);
    expect(await (await fetch(`${outputs.controlUrl}/clock`)).json()).toMatchObject({
      offsetSeconds: 0,
    });

    cli.child.kill("SIGTERM");
    expect(await cli.exit).toEqual({ code: 0, signal: null });
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
    const env = await cliEnvironment(dir);
    const blocker = createServer();
    const port = Number(env.LOCAL_API_PORT);
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const run = start(env);
      expect((await run.exit).code).toBe(1);
      expect(run.output()).toContain(`Port ${port} is already in use`);
      expect(run.output()).toContain("LOCAL_API_PORT");
      expect(existsSync(env.LOCAL_OUTPUTS_FILE)).toBe(false);
    } finally {
      blocker.close();
    }
  });
});

describe("on a fresh clone", () => {
  let clone: string;
  beforeAll(async () => {
    clone = await freshClone();
  });
  afterAll(async () => {
    await rm(clone, { recursive: true, force: true });
  });

  it("LOCAL_DATA_DIR alone works (outputs.json goes to a .local/ it creates); Ctrl-C to the process group exits 0 with no pnpm error", async () => {
    const { LOCAL_OUTPUTS_FILE: _, ...env } = await cliEnvironment(dir);
    const dataDir = join(dir, "elsewhere", "data");
    const cli = start(
      { ...env, LOCAL_DATA_DIR: dataDir, LOCAL_WEB: "false" },
      { root: clone, command: ["pnpm", "dev:local"] },
    );
    const outputsFile = join(clone, ".local", "outputs.json");
    await waitFor(() => existsSync(outputsFile), "outputs.json");
    expect(readJson(outputsFile).webUrl).toBeNull();
    // A web app started by hand on LOCAL_WEB_PORT may still read the mailbox.
    const origin = `http://localhost:${env.LOCAL_WEB_PORT}`;
    const mailbox = await fetch(`${readJson(outputsFile).mailboxUrl}/a%40example.com`, {
      headers: { origin },
    });
    expect(mailbox.headers.get("access-control-allow-origin")).toBe(origin);
    expect((await readdir(dataDir)).sort()).toEqual(["cognito", "dynamodb"]);
    expect(existsSync(join(clone, ".local", "data"))).toBe(false);

    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-(cli.child.pid as number), "SIGINT");
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.output()).toContain("stopping the local stack");
    expect(cli.output()).not.toMatch(/ELIFECYCLE|ERR_|Command failed/);
    expect(existsSync(outputsFile)).toBe(false);
  });

  it("honours every documented variable", async () => {
    const env = await cliEnvironment(dir);
    const outputsFile = join(dir, "nested", "not-yet", "outputs.json");
    const dataDir = join(dir, "all-variables-data");
    const cli = start(
      {
        ...env,
        LOCAL_WEB: "true",
        LOCAL_REGION: "eu-west-2",
        LOCAL_DATA_DIR: dataDir,
        LOCAL_OUTPUTS_FILE: outputsFile,
      },
      { root: clone },
    );
    await waitFor(() => existsSync(outputsFile), "outputs.json");
    const outputs = readJson(outputsFile);
    expect(outputs).toMatchObject({
      pid: cli.child.pid,
      region: "eu-west-2",
      apiUrl: `http://127.0.0.1:${env.LOCAL_API_PORT}`,
      cognitoEndpoint: `http://127.0.0.1:${env.LOCAL_COGNITO_PORT}`,
      dynamodbEndpoint: `http://127.0.0.1:${env.LOCAL_DYNAMODB_PORT}`,
      mailboxUrl: `http://127.0.0.1:${env.LOCAL_MAILBOX_PORT}`,
      controlUrl: `http://127.0.0.1:${env.LOCAL_CONTROL_PORT}`,
      webUrl: `http://localhost:${env.LOCAL_WEB_PORT}`,
    });
    const invoke = await fetch(
      `http://127.0.0.1:${env.LOCAL_LAMBDA_PORT}/2015-03-31/functions/Nope/invocations`,
      { method: "POST", headers: signedHeaders("lambda"), body: "{}" },
    );
    expect(await invoke.json()).toMatchObject({
      message: "Function not found: arn:aws:lambda:eu-west-2:000000000000:function:Nope",
    });
    // The web app's pages may read the mailbox and call the pool, by either loopback name.
    for (const host of ["localhost", "127.0.0.1"]) {
      const origin = `http://${host}:${env.LOCAL_WEB_PORT}`;
      const mailbox = await fetch(`${outputs.mailboxUrl}/a%40example.com`, { headers: { origin } });
      expect(mailbox.headers.get("access-control-allow-origin")).toBe(origin);
      const preflight = await fetch(outputs.cognitoEndpoint as string, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    }
    const foreign = await fetch(`${outputs.mailboxUrl}/a%40example.com`, {
      headers: { origin: `http://localhost:${Number(env.LOCAL_WEB_PORT) + 1}` },
    });
    expect(foreign.status).toBe(403);
    // The web app's dev server refuses a DNS-rebinding Host too.
    const rebound = await new Promise<number>((resolve, reject) => {
      httpGet(`${outputs.webUrl}/`, { headers: { host: "evil.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }).on("error", reject);
    });
    expect(rebound).toBe(403);
    const jwks = await fetch(
      `${outputs.cognitoEndpoint}/${outputs.userPoolId}/.well-known/jwks.json`,
    );
    expect(jwks.status).toBe(200);
    expect((await fetch(outputs.webUrl)).status).toBe(200);
    expect((await readdir(dataDir)).sort()).toEqual(["cognito", "dynamodb"]);
    expect(existsSync(join(clone, ".local", "data"))).toBe(false);

    cli.child.kill("SIGTERM");
    expect((await cli.exit).code).toBe(0);
    expect(existsSync(outputsFile)).toBe(false);
  });
});

describe("a stack that dies", () => {
  let injector: string;
  beforeAll(async () => {
    // Fault injection: SIGUSR2 makes the stack's own process throw, or reject a promise nobody awaits.
    injector = join(dir, "inject-crash.mjs");
    await writeFile(
      injector,
      `process.on("SIGUSR2", () => {
  if (process.env.INJECT === "rejection") Promise.reject(new Error("injected rejection"));
  else setImmediate(() => { throw new Error("injected crash"); });
});
`,
    );
  });

  it.each(["exception", "rejection"])(
    "from an uncaught %s removes its outputs.json and exits 1",
    async (kind) => {
      const env = { ...(await cliEnvironment(dir)), LOCAL_WEB: "false", INJECT: kind };
      const cli = start(env, { nodeArgs: ["--import", injector] });
      await waitFor(() => existsSync(env.LOCAL_OUTPUTS_FILE), "outputs.json");
      cli.child.kill("SIGUSR2");
      expect((await cli.exit).code).toBe(1);
      expect(cli.output()).toContain("The local stack crashed");
      expect(cli.output()).toContain(`injected ${kind === "rejection" ? "rejection" : "crash"}`);
      expect(existsSync(env.LOCAL_OUTPUTS_FILE)).toBe(false);
    },
  );

  it("from SIGKILL leaves a file that names a dead pid: clients ignore it and the next start replaces it", async () => {
    const env = { ...(await cliEnvironment(dir)), LOCAL_WEB: "false" };
    const first = start(env);
    await waitFor(() => existsSync(env.LOCAL_OUTPUTS_FILE), "outputs.json");
    expect(await readLiveOutputs(env.LOCAL_OUTPUTS_FILE)).toMatchObject({ pid: first.child.pid });
    first.kill();
    await first.exit;
    expect(readJson(env.LOCAL_OUTPUTS_FILE).pid).toBe(first.child.pid);
    expect(await readLiveOutputs(env.LOCAL_OUTPUTS_FILE)).toBeNull();

    const second = start(env);
    await waitFor(
      () =>
        existsSync(env.LOCAL_OUTPUTS_FILE) &&
        readJson(env.LOCAL_OUTPUTS_FILE).pid === second.child.pid,
      "the new outputs.json",
    );
    const outputs = await readLiveOutputs(env.LOCAL_OUTPUTS_FILE);
    expect((await fetch(`${outputs?.apiUrl}/me`)).status).toBe(401);

    // A third start with the same file refuses while the second one runs, and leaves its file alone.
    const third = start({
      ...(await cliEnvironment(dir)),
      LOCAL_WEB: "false",
      LOCAL_OUTPUTS_FILE: env.LOCAL_OUTPUTS_FILE,
    });
    expect((await third.exit).code).toBe(1);
    expect(third.output()).toContain(`Another local stack (pid ${second.child.pid}) is running`);
    expect(readJson(env.LOCAL_OUTPUTS_FILE).pid).toBe(second.child.pid);
  });
});
