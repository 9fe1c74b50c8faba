import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Page, test } from "@playwright/test";
import { securityHeaders } from "../site/headers";
import { siteResponder } from "../site/server";
import { launchOptions } from "./browser";
import {
  button,
  codeFor,
  expectPath,
  field,
  heading,
  newEmail,
  outputs,
  signIn,
  signUp,
} from "./helpers";

const webDir = fileURLToPath(new URL("..", import.meta.url));
let dist: string;
let headers: Record<string, string>;

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
  const env = {
    VITE_REGION: region,
    VITE_USER_POOL_ID: userPoolId,
    VITE_USER_POOL_CLIENT_ID: userPoolClientId,
    VITE_API_URL: apiUrl,
    VITE_COGNITO_ENDPOINT: cognitoEndpoint,
    VITE_MAILBOX_URL: mailboxUrl,
  };
  dist = mkdtempSync(join(tmpdir(), "web-dist-"));
  execFileSync(
    "pnpm",
    ["exec", "vite", "build", "--outDir", dist, "--emptyOutDir", "--logLevel", "warn"],
    {
      cwd: webDir,
      env: { ...process.env, ...env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    },
  );
  // The headers the deployed site sends, computed by the same function from the same settings.
  headers = securityHeaders(env);
});

test.afterAll(() => rmSync(dist, { recursive: true, force: true }));

/**
 * Serves the build under the dev server's origin (which the API's CORS allows), as the
 * deployed site answers: the Router's choice of file, 404 for a missing asset, the headers.
 */
async function serveBuild(page: Page, { scripts = true } = {}) {
  const respond = siteResponder(dist, headers);
  await page.route(`${outputs().webUrl}/**`, (route) => {
    const url = route.request().url();
    if (!scripts && new URL(url).pathname.endsWith(".js")) return route.abort();
    const { status, headers, body } = respond(url);
    return route.fulfill({ status, headers, body });
  });
}

/** Every Content-Security-Policy violation the page reports, as Chromium logs it. */
function violations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

test("each route's page is served whole, other paths get the not-found page, a missing asset a 404", async ({
  page,
}) => {
  const { webUrl } = outputs();
  await serveBuild(page);
  for (const [path, title] of [
    ["/", "Sign in"],
    ["/sign-up", "Create your account"],
    ["/forgot-password", "Reset your password"],
    ["/confirm?email=ada%40example.com", "Confirm your email"],
    ["/no-such-page", "Page not found"],
  ] as const) {
    const response = await page.goto(`${webUrl}${path}`);
    expect(response?.status(), path).toBe(200);
    expect(response?.headers()["content-security-policy"], path).toBe(
      headers["content-security-policy"],
    );
    await expect(heading(page)).toHaveText(title);
  }
  const missing = await page.goto(`${webUrl}/assets/missing-0000.js`);
  expect(missing?.status()).toBe(404);
});

test("the first screen is painted from the HTML and CSS alone, with no script", async ({
  page,
}) => {
  await serveBuild(page, { scripts: false });
  await page.goto(`${outputs().webUrl}/sign-up`);
  await expect(heading(page)).toHaveText("Create your account");
  await expect(field(page, "Email")).toBeVisible();
  // Styled by the inline stylesheet: the primary button has the accent colour.
  const background = await button(page, "Sign up").evaluate(
    (element) => getComputedStyle(element).backgroundColor,
  );
  expect(background).toBe("rgb(47, 91, 211)");
});

test("the app hydrates the prerendered page in place: the largest paint is the first, nothing shifts", async ({
  page,
}) => {
  await serveBuild(page);
  await page.addInitScript(() => {
    const seen: { type: string; name: string; startTime: number; value?: number }[] = [];
    (window as unknown as { paints: typeof seen }).paints = seen;
    // The prerendered heading, before any of the app's code runs.
    document.addEventListener("DOMContentLoaded", () => {
      (window as unknown as { prerendered: Element | null }).prerendered =
        document.querySelector("h1");
    });
    for (const type of ["paint", "largest-contentful-paint", "layout-shift"]) {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const { name, startTime } = entry;
          const shift = entry as PerformanceEntry & { value?: number; hadRecentInput?: boolean };
          // What CLS counts: shifts the person did not cause.
          if (type === "layout-shift" && shift.hadRecentInput) continue;
          const value = shift.value;
          const element = (entry as PerformanceEntry & { element?: Element }).element;
          seen.push({
            type,
            name: element?.className || name,
            startTime,
            ...(value ? { value } : {}),
          });
        }
      }).observe({ type, buffered: true });
    }
  });
  await page.goto(outputs().webUrl);
  await expect(heading(page)).toHaveText("Sign in");
  await page.waitForLoadState("networkidle");
  // Hydrated: the form answers (a password shown), and still no other paint or shift.
  await button(page, "Show password").click();
  await expect(button(page, "Hide password")).toBeVisible();
  // Hydrated in place: the heading is still the element the HTML made.
  expect(
    await page.evaluate(
      () =>
        (window as unknown as { prerendered: Element | null }).prerendered ===
        document.querySelector("h1"),
    ),
  ).toBe(true);
  const paints = await page.evaluate(
    () =>
      (window as unknown as { paints: { type: string; name: string; startTime: number }[] }).paints,
  );
  const fcp = paints.find((p) => p.name === "first-contentful-paint");
  const largest = paints.filter((p) => p.type === "largest-contentful-paint");
  expect(largest).toHaveLength(1);
  expect(largest[0]?.startTime).toBe(fcp?.startTime);
  expect(paints.filter((p) => p.type === "layout-shift")).toEqual([]);
});

test("Amplify is downloaded only once the person starts using a form", async ({ page }) => {
  await serveBuild(page);
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
  });
  await page.goto(outputs().webUrl);
  await expect(heading(page)).toHaveText("Sign in");
  await page.waitForLoadState("networkidle");
  expect(scripts.some((path) => path.includes("/sign-in-"))).toBe(true);
  expect(scripts.filter((path) => path.includes("amplify"))).toEqual([]);
  await field(page, "Email").click();
  await expect.poll(() => scripts.filter((path) => path.includes("amplify"))).toHaveLength(1);
});

test("the policy refuses a script injected into the page", async ({ page }) => {
  await serveBuild(page);
  const seen = violations(page);
  await page.goto(outputs().webUrl);
  await expect(heading(page)).toHaveText("Sign in");
  const ran = await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.injected = true";
    document.head.append(script);
    return (window as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => seen.length).toBeGreaterThan(0);
});

test("the production build runs the whole journey under the site's policy, with no violation", async ({
  page,
}) => {
  await serveBuild(page);
  const seen = violations(page);
  const email = newEmail("prod");
  await page.goto(outputs().webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email, undefined, { firstName: "Ada" });
  const code = await codeFor(email, "signup");
  const panel = page.getByRole("complementary", { name: "Local mailbox" });
  await panel.getByRole("button", { name: "Use this code" }).click();
  await expect(field(page, "Confirmation code")).toHaveValue(code);
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expectPath(page, "/profile");

  await field(page, "Last name").fill("Lovelace");
  await button(page, "Save").click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(field(page, "Last name")).toHaveValue("Lovelace");

  await button(page, "Sign out").click();
  await expect(page.getByRole("status")).toHaveText("You're signed out.");
  await signIn(page, email, "Correct-horse-1");
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await button(page, "Delete account").click();
  await button(page, "Yes, delete my account").click();
  await expect(page.getByRole("status")).toHaveText("Your account and profile were deleted.");
  expect(seen).toEqual([]);
});
