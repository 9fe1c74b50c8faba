/** Every HTTP API the app declares, each on its own port, kept in step with the plan. */

import type { LocalClock } from "../clock";
import type { LocalConfig } from "../config";
import { startGateway } from "../gateway";
import type { LambdaService } from "../lambda/index";
import type { HttpApiSpec, LocalApp } from "../spec";
import type { Log } from "./services";

interface ApiServer {
  url: string;
  update(api: HttpApiSpec): Promise<void>;
  stop(): Promise<void>;
}

/** Serves one API with the gateway, restarting it on the same port when its routes change. */
async function startHttpApi(options: {
  api: HttpApiSpec;
  port: number;
  host: string;
  lambda: Pick<LambdaService, "invoke">;
  jwksUrl: (issuer: string) => string | undefined;
  clock: LocalClock;
  log: Log;
}): Promise<ApiServer> {
  const start = (api: HttpApiSpec, port: number) => {
    const authorizer = api.routes.find((route) => route.authorizer)?.authorizer;
    return startGateway({
      port,
      host: options.host,
      routes: api.routes.map((route) => {
        const [method = "ANY", path = "/"] = route.routeKey.split(" ");
        return {
          method: method as "GET",
          path,
          handler: route.functionName,
          grants: { table: [], userPool: [] },
        };
      }),
      functionFor: (route) => route.handler,
      lambda: options.lambda,
      jwt: {
        issuer: authorizer?.issuer ?? "",
        jwksUrl: (authorizer && options.jwksUrl(authorizer.issuer)) ?? "http://127.0.0.1:1/",
        audiences: authorizer?.audiences ?? [],
      },
      now: () => options.clock.now(),
      log: options.log,
      cors: {
        allowOrigins: api.cors?.allowOrigins ?? [],
        allowMethods: api.cors?.allowMethods ?? [],
        allowHeaders: api.cors?.allowHeaders ?? [],
        maxAgeSeconds: api.cors?.maxAgeSeconds ?? 0,
      },
    });
  };
  let gateway = await start(options.api, options.port);
  const port = Number(new URL(gateway.url).port);
  let served = JSON.stringify(options.api);
  return {
    get url() {
      return gateway.url;
    },
    async update(api) {
      if (JSON.stringify(api) === served) return;
      await gateway.stop();
      gateway = await start(api, port);
      served = JSON.stringify(api);
    },
    stop: () => gateway.stop(),
  };
}

/**
 * The app's HTTP APIs: the first on LOCAL_API_PORT, each next one on the port after it.
 * `urls` maps each API's deployed URL to its local one.
 */
export async function startHttpApis(
  config: LocalConfig,
  app: LocalApp,
  deps: {
    lambda: Pick<LambdaService, "invoke">;
    jwksUrl: (issuer: string) => string | undefined;
    /** Deployed values (issuers, origins) as the local stack serves them. */
    localize: <T>(value: T) => T;
    clock: LocalClock;
    log: Log;
  },
) {
  const servers = new Map<string, ApiServer>();
  const urls = new Map<string, string>();
  const portFor = (index: number) => (config.ports.api === 0 ? 0 : config.ports.api + index);

  const update = async (next: LocalApp) => {
    for (const [id, server] of servers) {
      if (next.httpApis.some((api) => api.id === id)) continue;
      await server.stop();
      servers.delete(id);
    }
    for (const [index, api] of next.httpApis.entries()) {
      const localized = deps.localize(api);
      const running = servers.get(api.id);
      if (running) {
        await running.update(localized);
      } else {
        const server = await startHttpApi({
          api: localized,
          port: portFor(index),
          host: config.host,
          lambda: deps.lambda,
          jwksUrl: deps.jwksUrl,
          clock: deps.clock,
          log: deps.log,
        });
        servers.set(api.id, server);
      }
      urls.set(api.deployedUrl, (servers.get(api.id) as ApiServer).url);
    }
  };
  await update(app);
  return {
    urls,
    update,
    stop: async () => {
      await Promise.all([...servers.values()].map((server) => server.stop()));
    },
  };
}
