import { existsSync } from "node:fs";

/** Debian's Chromium here; elsewhere set CHROMIUM_PATH, or leave it unset for Playwright's own browser. */
const executablePath =
  process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** Flags that work headless, offline and as root. */
export const launchOptions = {
  ...(executablePath ? { executablePath } : {}),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
