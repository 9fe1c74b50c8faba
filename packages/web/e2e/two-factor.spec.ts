import { expect, type Page, test } from "@playwright/test";
import { TOTP } from "otpauth";
import {
  button,
  expectAccessible,
  expectPath,
  field,
  heading,
  outputs,
  PASSWORD,
  pressWithKeyboard,
  screenshot,
  signedUpAndConfirmed,
  signIn,
  typeWithKeyboard,
} from "./helpers";
import { advanceClock, getUser, resetClock, storedTokens } from "./services";

test.afterEach(async () => {
  await resetClock();
});

async function mfaSettings(page: Page) {
  const tokens = await storedTokens(page);
  if (!tokens) throw new Error("Not signed in");
  return (await getUser(tokens.accessToken)).UserMFASettingList ?? [];
}

const totpFor = (secret: string) => new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" });
/** A code other than the right one, so a wrong code is wrong whatever the clock. */
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function signOutAndInWithPassword(page: Page, email: string) {
  await button(page, "Sign out").click();
  await expectPath(page, "/sign-in");
  await expect(page.getByRole("status")).toHaveText("You're signed out.");
  await signIn(page, email, PASSWORD);
}

test("turn on TOTP with a QR code and a first code; sign in with it; a wrong or replayed code changes nothing; turn it off", async ({
  page,
}) => {
  const email = await signedUpAndConfirmed(page, "katherine");
  const totp = await test.step("set up with the QR code's secret", async () => {
    await pressWithKeyboard(page, button(page, "Turn on two-factor authentication"));
    await expectPath(page, "/two-factor");
    await expect(heading(page)).toHaveText("Two-factor authentication");
    await expect(
      page.getByRole("img", { name: "QR code for your authenticator app" }),
    ).toBeVisible();
    const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expectAccessible(page);
    await screenshot(page, "two-factor-setup");
    const generator = totpFor(secret);

    await typeWithKeyboard(page, field(page, "Code"), otherThan(generator.generate()));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert")).toContainText("That code isn't right.");
    expect(await mfaSettings(page)).toEqual([]);

    await field(page, "Code").fill(generator.generate());
    await button(page, "Verify").click();
    await expectPath(page, "/profile");
    await expect(page.getByRole("status")).toHaveText("Two-factor authentication is on.");
    await expect(button(page, "Turn off two-factor authentication")).toBeVisible();
    expect(await mfaSettings(page)).toEqual(["SOFTWARE_TOKEN_MFA"]);
    return generator;
  });

  await test.step("the password then asks for a code; a wrong one changes nothing", async () => {
    // The code just used for the set-up may not sign in again: move on to the next period.
    await advanceClock(30);
    await signOutAndInWithPassword(page, email);
    await expectPath(page, "/sign-in-totp");
    await expect(heading(page)).toHaveText("Two-factor authentication");
    await expectAccessible(page);
    const now = totp.generate({ timestamp: Date.now() + 30_000 });
    await typeWithKeyboard(page, field(page, "Code"), otherThan(now));
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert")).toContainText("That code isn't right");
    expect(await storedTokens(page)).toBeUndefined();
    await field(page, "Code").fill(now);
    await button(page, "Sign in").click();
    await expect(page.getByTestId("profile-email")).toHaveText(email);

    await test.step("the same code a second time is refused", async () => {
      await signOutAndInWithPassword(page, email);
      await expectPath(page, "/sign-in-totp");
      await field(page, "Code").fill(now);
      await button(page, "Sign in").click();
      await expect(page.getByRole("alert")).toContainText("already used");
      expect(await storedTokens(page)).toBeUndefined();
      await advanceClock(30);
      await field(page, "Code").fill(totp.generate({ timestamp: Date.now() + 60_000 }));
      await button(page, "Sign in").click();
      await expect(page.getByTestId("profile-email")).toHaveText(email);
    });
  });

  await test.step("turn it off: the password alone signs in again", async () => {
    await pressWithKeyboard(page, button(page, "Turn off two-factor authentication"));
    await expectPath(page, "/two-factor");
    await expect(page.getByText("Two-factor authentication is on for your account.")).toBeVisible();
    await expectAccessible(page);
    await button(page, "Turn off two-factor authentication").click();
    await expectPath(page, "/profile");
    await expect(page.getByRole("status")).toHaveText("Two-factor authentication is off.");
    expect(await mfaSettings(page)).toEqual([]);
    await signOutAndInWithPassword(page, email);
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });
});

test("a second device starting the set-up mid-way: the first one's code is refused, nothing changes", async ({
  page,
  browser,
}) => {
  const email = await signedUpAndConfirmed(page, "evelyn");
  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(`${outputs().webUrl}/sign-in`);
  await signIn(second, email, PASSWORD);
  await expect(second.getByTestId("profile-email")).toHaveText(email);

  await button(page, "Turn on two-factor authentication").click();
  const first = (await page.getByTestId("totp-secret").textContent()) ?? "";
  await button(second, "Turn on two-factor authentication").click();
  const replacing = (await second.getByTestId("totp-secret").textContent()) ?? "";
  expect(replacing).not.toBe(first);

  await field(page, "Code").fill(totpFor(first).generate());
  await button(page, "Verify").click();
  await expect(page.getByRole("alert")).toHaveText(/isn't right|no longer valid/);
  expect(await mfaSettings(page)).toEqual([]);

  await field(second, "Code").fill(totpFor(replacing).generate());
  await button(second, "Verify").click();
  await expect(second.getByRole("status")).toHaveText("Two-factor authentication is on.");
  expect(await mfaSettings(second)).toEqual(["SOFTWARE_TOKEN_MFA"]);
  await other.close();
});
