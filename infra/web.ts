import { api } from "./api";
import { userPool, webClient } from "./auth";
import { router } from "./router";

export const webEnvironment = {
  VITE_REGION: aws.getRegionOutput().region,
  VITE_USER_POOL_ID: userPool.id,
  VITE_USER_POOL_CLIENT_ID: webClient.id,
  VITE_API_URL: api.url,
};

export const site = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "pnpm run build", output: "dist" },
  environment: webEnvironment,
  router: router ? { instance: router } : undefined,
  dev: { command: "pnpm run dev", url: "http://localhost:5173" },
});
