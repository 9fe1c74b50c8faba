import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { launchOptions } from "./browser";
import { button, codeFor, field, newEmail, outputs, signUp } from "./helpers";

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
};

let dist: string;

// Routed responses count as public address space for Chromium's Local Network
// Access checks, which would then block the page's calls to 127.0.0.1.
test.use({
  launchOptions: {
    ...launchOptions,
    args: [...launchOptions.args, "--disable-features=LocalNetworkAccessChecks"],
  },
});

test.beforeAll(() => {
  const { region, userPoolId, userPoolClientId, apiUrl, cognitoEndpoint, mailboxUrl } = outputs();
  dist = mkdtempSync(join(tmpdir(), "web-dist-"));
  execFileSync("pnpm", ["exec", "vite", "build", "--outDir", dist, "--logLevel", "warn"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: {
      ...process.env,
      VITE_REGION: region,
      VITE_USER_POOL_ID: userPoolId,
      VITE_USER_POOL_CLIENT_ID: userPoolClientId,
      VITE_API_URL: apiUrl,
      VITE_COGNITO_ENDPOINT: cognitoEndpoint,
      VITE_MAILBOX_URL: mailboxUrl,
    },
  });
});

test.afterAll(() => rmSync(dist, { recursive: true, force: true }));

test("the production build signs up and loads the profile", async ({ page }) => {
  const { webUrl } = outputs();
  // Served under the dev server's origin, which the API's CORS allows.
  await page.route(`${webUrl}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = path === "/" ? "index.html" : path.slice(1);
    return route.fulfill({
      body: readFileSync(join(dist, file)),
      contentType: TYPES[extname(file)] ?? "application/octet-stream",
    });
  });
  const email = newEmail("prod");
  await page.goto(webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email);
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
});
