import { createServer as createHttpServer } from "node:http";
import { close, listen } from "./net";
import { repoRoot } from "./paths";

export interface WebDevServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * The Vite dev server of packages/web, in this process (so it cannot outlive
 * the stack), with the same VITE_ settings the deployed build gets. Vite runs
 * in middleware mode behind our own HTTP server: a standalone Vite server
 * would install its own SIGTERM handler and exit before the rest stops.
 */
export async function startWebDevServer(options: {
  port: number;
  environment: Record<string, string>;
  /** Vite's module, when the caller started loading it early. */
  vite?: Promise<typeof import("vite")>;
}): Promise<WebDevServer> {
  const webDir = `${repoRoot}packages/web`;
  Object.assign(process.env, options.environment);
  const { createServer: createViteServer } = await (options.vite ?? import("vite"));
  const http = createHttpServer();
  const vite = await createViteServer({
    root: webDir,
    configFile: `${webDir}/vite.config.ts`,
    logLevel: "warn",
    clearScreen: false,
    appType: "spa",
    server: { middlewareMode: true, ws: { server: http } },
  });
  http.on("request", vite.middlewares);
  try {
    const port = await listen(http, options.port, "localhost", "LOCAL_WEB_PORT");
    return {
      url: `http://localhost:${port}`,
      stop: async () => {
        await vite.close();
        await close(http);
      },
    };
  } catch (error) {
    await vite.close();
    throw error;
  }
}
