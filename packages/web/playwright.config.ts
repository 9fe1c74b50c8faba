import { defineConfig } from "@playwright/test";
import { launchOptions } from "./e2e/browser";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  // Signing in runs SRP's big-number math in the page: on a loaded 2-core machine the wait from
  // "Confirm" to the profile has reached 13 s (7 s before InitiateAuth, 6 s before the answer).
  expect: { timeout: 30_000 },
  reporter: "list",
  use: {
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "UTC",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions,
  },
});
