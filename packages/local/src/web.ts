import { createServer } from "vite";
import { PortInUseError } from "./net";
import { repoRoot } from "./paths";

export interface WebDevServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The Vite dev server of packages/web, in this process (so it cannot outlive
 * the stack), with the same VITE_ settings the deployed build gets.
 */
export async function startWebDevServer(options: {
  port: number;
  environment: Record<string, string>;
}): Promise<WebDevServer> {
  const webDir = `${repoRoot}packages/web`;
  Object.assign(process.env, options.environment);
  const server = await createServer({
    root: webDir,
    configFile: `${webDir}/vite.config.ts`,
    logLevel: "warn",
    clearScreen: false,
    server: { port: options.port, strictPort: true, host: "localhost" },
  });
  try {
    await server.listen();
  } catch (error) {
    await server.close();
    if ((error as Error).message?.includes("already in use")) {
      throw new PortInUseError(options.port, "LOCAL_WEB_PORT");
    }
    throw error;
  }
  return { url: `http://localhost:${options.port}`, stop: () => server.close() };
}
