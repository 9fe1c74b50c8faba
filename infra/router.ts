import { settings } from "./stage";

/**
 * The site's public origin. It exists before the API so the API's CORS can
 * name it without a cycle (the site's build needs the API URL). Under
 * `sst dev` the site runs on the Vite dev server, so no distribution is made.
 * With APP_DOMAIN set, it serves the stage's hostname (see infra/deploy-settings.ts).
 */
export const router = $dev
  ? undefined
  : new sst.aws.Router("WebRouter", {
      domain: settings.domains?.site,
    });
