/** Every HTTP API the app declares, each on its own port, kept in step with the plan. */

import type { LocalClock } from "../clock";
import type { LocalConfig } from "../config";
import { type HttpApi, startHttpApi } from "../gateway/index";
import type { LambdaService } from "../lambda/index";
import type { LocalApp } from "../spec";
import type { Log } from "./services";

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
  const servers = new Map<string, HttpApi>();
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
        running.update(localized);
      } else {
        const server = await startHttpApi({
          api: localized,
          port: portFor(index),
          host: config.host,
          region: next.region,
          accountId: next.accountId,
          lambda: deps.lambda,
          jwksUrl: deps.jwksUrl,
          now: () => deps.clock.now(),
          log: deps.log,
        });
        servers.set(api.id, server);
      }
      urls.set(api.deployedUrl, (servers.get(api.id) as HttpApi).url);
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
