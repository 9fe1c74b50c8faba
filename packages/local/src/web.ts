import { createServer as createHttpServer } from "node:http";
import { protectServer } from "./local-safety";
import { close, listen } from "./net";

export interface WebDevServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A Vite site's dev server, in this process (so it cannot outlive the stack),
 * with the same environment the deployed build gets. Vite runs in middleware
 * mode behind our own HTTP server: a standalone Vite server would install its
 * own SIGTERM handler and exit before the rest stops.
 */
export async function startWebDevServer(options: {
  directory: string;
  configFile: string;
  port: number;
  environment: Record<string, string>;
}): Promise<WebDevServer> {
  Object.assign(process.env, options.environment);
  const { createServer: createViteServer } = await import("vite");
  const http = createHttpServer();
  const vite = await createViteServer({
    root: options.directory,
    configFile: options.configFile,
    logLevel: "warn",
    clearScreen: false,
    appType: "spa",
    server: { middlewareMode: true, ws: { server: http } },
  });
  http.on("request", vite.middlewares);
  protectServer(http, { origins: "any" });
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
