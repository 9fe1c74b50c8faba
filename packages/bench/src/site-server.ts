import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The site server in a process of its own: in Lighthouse's process it would
 * answer late whenever Lighthouse is busy, and Lighthouse's simulation takes
 * that delay for the server's own.
 */
export async function startSiteServerProcess(
  dir: string,
  headers: Readonly<Record<string, string>>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./site-server-main.ts", import.meta.url))],
    {
      env: { ...process.env, SITE_DIR: dir, SITE_HEADERS: JSON.stringify(headers) },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((l) => l.startsWith("http://"));
      if (line) resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`The site server exited with ${code}.`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
