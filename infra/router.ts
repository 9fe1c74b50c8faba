/**
 * The site's public origin. It exists before the API so the API's CORS can
 * name it without a cycle (the site's build needs the API URL). Under
 * `sst dev` the site runs on the Vite dev server, so no distribution is made.
 */
export const router = $dev ? undefined : new sst.aws.Router("WebRouter");
