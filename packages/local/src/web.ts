import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { repoRoot } from "./paths";

export interface WebDevServer {
  url: string;
  stop(): Promise<void>;
}

/** The Vite dev server of packages/web, with the same VITE_ settings the deployed build gets. */
export async function startWebDevServer(options: {
  port: number;
  environment: Record<string, string>;
  signal?: AbortSignal;
}): Promise<WebDevServer> {
  const webDir = `${repoRoot}packages/web`;
  const require = createRequire(`${webDir}/package.json`);
  const viteBin = `${dirname(require.resolve("vite/package.json"))}/bin/vite.js`;
  const url = `http://localhost:${options.port}`;
  const child = spawn(
    process.execPath,
    [viteBin, "--port", String(options.port), "--strictPort", "--host", "localhost"],
    {
      cwd: webDir,
      env: { ...process.env, ...options.environment, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const stop = () => stopChild(child, exited);
  try {
    await waitUntilServing(url, exited, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitUntilServing(url: string, exited: Promise<number | null>, output: () => string) {
  let done = false;
  const early = exited.then((code) => {
    if (!done) {
      throw new Error(
        /already in use/i.test(output())
          ? `Port ${new URL(url).port} is already in use. Stop what uses it, or set LOCAL_WEB_PORT to another port.`
          : `The web dev server exited (code ${code}):\n${output()}`,
      );
    }
  });
  const poll = (async () => {
    for (let attempt = 0; attempt < 300; attempt++) {
      try {
        const response = await fetch(url);
        if (response.ok) return;
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`The web dev server did not answer at ${url}:\n${output()}`);
  })();
  try {
    await Promise.race([poll, early]);
  } finally {
    done = true;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
