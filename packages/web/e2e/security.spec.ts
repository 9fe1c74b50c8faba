import { type Browser, expect, type Page, test } from "@playwright/test";
import {
  button,
  codeFor,
  expectAccessible,
  expectPath,
  field,
  heading,
  mailbox,
  NEW_PASSWORD,
  newEmail,
  outputs,
  PASSWORD,
  pressWithKeyboard,
  screenshot,
  signedUpAndConfirmed,
  signIn,
  typeWithKeyboard,
} from "./helpers";
import {
  advanceClock,
  editStoredTokens,
  getTokensFromRefreshToken,
  getUser,
  keepsEmailUntilVerified,
  resetClock,
  storedTokens,
} from "./services";

/** Attribute verification codes last 24 hours on Cognito. */
const A_DAY_AND_AN_HOUR = 25 * 60 * 60;

test.afterEach(async () => {
  await resetClock();
});

async function emailOf(page: Page) {
  const tokens = await storedTokens(page);
  if (!tokens) throw new Error("Not signed in");
  const { UserAttributes = [] } = await getUser(tokens.accessToken);
  const value = (name: string) => UserAttributes.find((a) => a.Name === name)?.Value;
  return { email: value("email"), verified: value("email_verified") };
}

test("change the password: a wrong current password changes nothing, the new one signs in", async ({
  page,
}) => {
  const email = await signedUpAndConfirmed(page, "grace");
  const security = page.getByRole("region", { name: "Security" });
  await expect(security).toBeVisible();
  await expectAccessible(page);

  await pressWithKeyboard(page, security.getByRole("button", { name: "Change password" }));
  await expectPath(page, "/change-password");
  await expect(heading(page)).toHaveText("Change password");
  await expectAccessible(page);

  await test.step("a wrong current password: a clear message, nothing changed", async () => {
    await typeWithKeyboard(page, field(page, "Current password"), "Wrong-horse-1");
    await typeWithKeyboard(page, field(page, "New password"), NEW_PASSWORD);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert")).toHaveText(
      "Your current password isn't right. Check it and try again.",
    );
    await expectPath(page, "/change-password");
    await screenshot(page, "change-password-wrong");
  });

  await test.step("the right one changes it", async () => {
    await field(page, "Current password").fill(PASSWORD);
    await button(page, "Change password").click();
    await expectPath(page, "/profile");
    await expect(page.getByRole("status")).toHaveText("Your password was changed.");
  });

  await test.step("the old password no longer signs in, the new one does", async () => {
    await button(page, "Sign out").click();
    await expectPath(page, "/sign-in");
    await expect(page.getByRole("status")).toHaveText("You're signed out.");
    await signIn(page, email, PASSWORD);
    await expect(page.getByRole("alert")).toHaveText("Incorrect email or password.");
    await field(page, "Password").fill(NEW_PASSWORD);
    await button(page, "Sign in").click();
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });
});

test("change the email: the code goes to the new address; a wrong or an expired code changes nothing", async ({
  page,
}) => {
  const email = await signedUpAndConfirmed(page, "hedy");
  const next = newEmail("hedy-new");

  await pressWithKeyboard(page, page.getByRole("button", { name: "Change email" }));
  await expectPath(page, "/change-email");
  await expect(heading(page)).toHaveText("Change email");
  await expectAccessible(page);
  await typeWithKeyboard(page, field(page, "New email"), next);
  await page.keyboard.press("Enter");

  await expectPath(page, `/verify-email?email=${encodeURIComponent(next)}`);
  await expect(heading(page)).toHaveText("Verify your new email");
  const first = await codeFor(next, "verify-attribute");
  expect(await mailbox(email)).toHaveLength(1);
  await expectAccessible(page);
  await screenshot(page, "verify-email");

  // With the pool's UserAttributeUpdateSettings, AWS keeps the old email until the new one is
  // verified; without them it takes the new one at once, unverified (UpdateUserAttributes).
  const unchanged = (await keepsEmailUntilVerified())
    ? { email, verified: "true" }
    : { email: next, verified: "false" };
  await test.step("until the code is entered, the account keeps its email", async () => {
    expect(await emailOf(page)).toEqual(unchanged);
  });

  await test.step("a wrong code: a clear message, nothing changed", async () => {
    const wrong = first === "000000" ? "111111" : "000000";
    await typeWithKeyboard(page, field(page, "Code"), wrong);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert")).toContainText("That code isn't right.");
    expect(await emailOf(page)).toEqual(unchanged);
  });

  await test.step("an expired code: a clear message, nothing changed; a new code works", async () => {
    await advanceClock(A_DAY_AND_AN_HOUR);
    // The pool's clock moved, the browser's didn't: make Amplify refresh its tokens as it would by then.
    await editStoredTokens(page, { expire: true });
    await field(page, "Code").fill(first);
    await button(page, "Verify").click();
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("That code has expired.");
    expect(await emailOf(page)).toEqual(unchanged);

    await alert.getByRole("button", { name: "Send a new code" }).click();
    await expect(page.getByRole("status")).toHaveText(`We sent a new code to ${next}.`);
    const second = await codeFor(next, "verify-attribute", 1);
    await field(page, "Code").fill(second);
    await button(page, "Verify").click();
  });

  await test.step("verified: the account and the profile have the new email", async () => {
    await expectPath(page, "/profile");
    await expect(page.getByRole("status")).toHaveText(`Your email is now ${next}.`);
    expect(await emailOf(page)).toEqual({ email: next, verified: "true" });
    await expect(page.getByTestId("profile-email")).toHaveText(next);
  });
});

async function signedInElsewhere(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${outputs().webUrl}/sign-in`);
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  return { context, page };
}

test("sign out of all devices ends the session on every device", async ({ page, browser }) => {
  const email = await signedUpAndConfirmed(page, "radia");
  const other = await signedInElsewhere(browser, email);
  const otherTokens = await storedTokens(other.page);
  expect(otherTokens).toBeDefined();

  await pressWithKeyboard(page, page.getByRole("button", { name: "Sign out of all devices" }));
  await expectPath(page, "/sign-in");
  await expect(page.getByRole("status")).toHaveText("You're signed out on every device.");
  expect(await storedTokens(page)).toBeUndefined();

  await expect(
    getTokensFromRefreshToken(otherTokens?.refreshToken as string),
  ).rejects.toMatchObject({ name: "NotAuthorizedException" });
  await expect(getUser(otherTokens?.accessToken as string)).rejects.toMatchObject({
    name: "NotAuthorizedException",
  });
  await other.context.close();
});
