import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../src/paths";
import { PASSWORD, poolSpec, sdkClient } from "./cognito-harness";

const spec = poolSpec();
const clientId = spec.clients[0]?.id as string;
let dataDir: string | undefined;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Starts the pool in its own process; resolves with its endpoint and the codes it sends. */
async function startPoolProcess(directory: string, port = 0) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "packages/local/test/pool-process.ts"],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        POOL_SPEC: JSON.stringify(spec),
        POOL_DATA_DIR: directory,
        POOL_PORT: String(port),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(child);
  const codes = new Map<string, string>();
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`The pool process exited (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const [kind, first, second] = line.split(" ");
      if (kind === "ready" && first) resolve(first);
      if (kind === "code" && first && second) codes.set(first, second);
    });
  });
  return { child, endpoint, codes };
}

describe("a pool killed with SIGKILL during a burst of sign-ups", () => {
  it("loses no user whose confirmation was acknowledged", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cognito-crash-"));
    const first = await startPoolProcess(dataDir);
    const client = sdkClient(first.endpoint);
    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const email = `crash.${w}.${i}@example.com`;
        try {
          await client.send(
            new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }),
          );
          let code = first.codes.get(email);
          for (let wait = 0; !code && wait < 200; wait++) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            code = first.codes.get(email);
          }
          if (!code) throw new Error(`no code for ${email}`);
          await client.send(
            new ConfirmSignUpCommand({
              ClientId: clientId,
              Username: email,
              ConfirmationCode: code,
            }),
          );
          acknowledged.push(email);
        } catch {
          return;
        }
      }
    };
    const burst = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
    while (acknowledged.length < 80) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill("SIGKILL");
    stop = true;
    await burst;
    client.destroy();
    expect(acknowledged.length).toBeGreaterThanOrEqual(80);

    const second = await startPoolProcess(dataDir);
    const after = sdkClient(second.endpoint);
    try {
      const statuses = await Promise.all(
        acknowledged.map(async (email) => {
          const user = await after.send(
            new AdminGetUserCommand({ UserPoolId: spec.id, Username: email }),
          );
          return user.UserStatus;
        }),
      );
      expect(statuses.filter((status) => status === "CONFIRMED")).toHaveLength(acknowledged.length);
    } finally {
      after.destroy();
      second.child.kill("SIGTERM");
    }
  }, 120_000);
});
