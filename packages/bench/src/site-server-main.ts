import { startSiteServer } from "@userprofile/web/site/server";

/** Started by site-server.ts: serves SITE_DIR with SITE_HEADERS until stopped, and prints its URL. */
const server = await startSiteServer({
  dir: process.env.SITE_DIR as string,
  headers: JSON.parse(process.env.SITE_HEADERS ?? "{}") as Record<string, string>,
});
process.stdout.write(`${server.url}\n`);
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
