import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";
import { OUTPUTS_VARIABLE, type StackOutputs } from "./local-stack";

/** The outputs of the stack the global setup found or started. */
export function outputs(): StackOutputs {
  const value = process.env[OUTPUTS_VARIABLE];
  if (!value) throw new Error("The local stack is not running (see e2e/global-setup.ts).");
  return JSON.parse(value) as StackOutputs;
}

export const PASSWORD = "Correct-horse-1";
export const NEW_PASSWORD = "Battery-staple-2";

export function newEmail(name: string): string {
  return `${name}${Date.now().toString(36).slice(-6)}${Math.random().toString(36).slice(2, 4)}@example.com`;
}

interface MailboxMessage {
  to: string;
  kind: "signup" | "resend" | "forgot-password" | "verify-attribute" | "sign-in";
  code: string;
  sentAt: string;
}

export async function mailbox(email: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${outputs().mailboxUrl}/${encodeURIComponent(email)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as MailboxMessage[];
}

/** Waits for the message number `index` (0-based) sent to `email` and returns its code. */
export async function codeFor(
  email: string,
  kind: MailboxMessage["kind"],
  index = 0,
): Promise<string> {
  let found: MailboxMessage | undefined;
  await expect
    .poll(async () => {
      found = (await mailbox(email))[index];
      return found?.kind;
    })
    .toBe(kind);
  return (found as MailboxMessage).code;
}

/**
 * Every run saves each screen as a test artifact (git-ignored). The committed
 * copies the READMEs show are refreshed only on request:
 * `UPDATE_SCREENSHOTS=1 pnpm test:e2e`.
 */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? new URL("./screenshots/", import.meta.url)
  : new URL("../test-results/screenshots/", import.meta.url);

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.screenshot({
    path: new URL(`${name}.png`, SCREENSHOTS).pathname,
    animations: "disabled",
    fullPage: true,
  });
}

export const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
export const button = (page: Page, name: string) => page.getByRole("button", { name, exact: true });
export const heading = (page: Page) => page.getByRole("heading", { level: 1 });

export async function signUp(
  page: Page,
  email: string,
  password = PASSWORD,
  names: { firstName?: string; lastName?: string } = {},
) {
  await field(page, "Email").fill(email);
  await field(page, "Password").fill(password);
  if (names.firstName) await field(page, "First name").fill(names.firstName);
  if (names.lastName) await field(page, "Last name").fill(names.lastName);
  await button(page, "Sign up").click();
}

export async function signIn(page: Page, email: string, password: string) {
  await field(page, "Email").fill(email);
  await field(page, "Password").fill(password);
  await button(page, "Sign in").click();
}

/** The page is at `path` (path and query, as the address bar shows them). */
export async function expectPath(page: Page, path: string) {
  await expect
    .poll(() => {
      const url = new URL(page.url());
      return `${url.pathname}${url.search}`;
    })
    .toBe(path);
}

/**
 * Moves the focus with Tab alone until it reaches `target` (as a keyboard
 * user would), then presses Enter on it; fails if Tab never gets there.
 */
export async function pressWithKeyboard(page: Page, target: Locator, maxTabs = 40) {
  for (let tabs = 0; tabs < maxTabs; tabs++) {
    if (await target.evaluate((element) => element === document.activeElement)) {
      await page.keyboard.press("Enter");
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Types into a field reached with Tab alone. */
export async function typeWithKeyboard(page: Page, target: Locator, text: string, maxTabs = 40) {
  for (let tabs = 0; tabs < maxTabs; tabs++) {
    if (await target.evaluate((element) => element === document.activeElement)) {
      await page.keyboard.type(text);
      return;
    }
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}

/** No serious or critical accessibility violation on the screen as it is now (axe-core). */
export async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious).toEqual([]);
}

/** A new account, signed up and confirmed in the app, which signs it in onto the profile. */
export async function signedUpAndConfirmed(page: Page, name: string) {
  const email = newEmail(name);
  await page.goto(`${outputs().webUrl}/sign-up`);
  await signUp(page, email);
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  return email;
}
