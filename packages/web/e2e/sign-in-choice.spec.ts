import { expect, type Page, test } from "@playwright/test";
import {
  button,
  codeFor,
  expectAccessible,
  expectPath,
  field,
  heading,
  mailbox,
  newEmail,
  outputs,
  PASSWORD,
  pressWithKeyboard,
  screenshot,
  signIn,
  signUp,
  typeWithKeyboard,
} from "./helpers";
import { advanceClock, resetClock, storedTokens, userPoolOperation } from "./services";

/** The sign-in session an emailed code belongs to lasts 3 minutes. */
const FOUR_MINUTES = 4 * 60;

test.afterEach(async () => {
  await resetClock();
});

/** Signs up and confirms; the app signs in with ConfirmSignUp's Session (no password again). */
async function signedUp(page: Page, name: string) {
  const email = newEmail(name);
  const calls: { operation?: string; body: Record<string, unknown> }[] = [];
  page.on("request", (request) => {
    const operation = userPoolOperation(request);
    if (operation) calls.push({ operation, body: request.postDataJSON() ?? {} });
  });
  await page.goto(`${outputs().webUrl}/sign-up`);
  await signUp(page, email);
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  page.removeAllListeners("request");
  return { email, calls };
}

async function signOut(page: Page) {
  await button(page, "Sign out").click();
  await expect(heading(page)).toHaveText("Sign in");
}

test("right after confirming sign-up the person is signed in with the pool's Session, not the password", async ({
  page,
}) => {
  const { calls } = await signedUp(page, "ida");
  const afterConfirm = calls.slice(calls.findIndex((c) => c.operation === "ConfirmSignUp") + 1);
  const signIn = afterConfirm.find((c) => c.operation === "InitiateAuth");
  expect(signIn?.body).toMatchObject({ AuthFlow: "USER_AUTH" });
  expect(signIn?.body.Session).toEqual(expect.any(String));
  expect(JSON.stringify(signIn?.body.AuthParameters)).not.toContain(PASSWORD);
  expect(afterConfirm.map((c) => c.operation)).not.toContain("RespondToAuthChallenge");
});

test("sign in with a code sent by email; a wrong code changes nothing", async ({ page }) => {
  const { email } = await signedUp(page, "joan");
  await signOut(page);
  await expectAccessible(page);

  await typeWithKeyboard(page, field(page, "Email"), email);
  await pressWithKeyboard(page, button(page, "Send code"));
  await expectPath(page, `/sign-in-code?email=${encodeURIComponent(email)}`);
  await expect(heading(page)).toHaveText("Check your email");
  const code = await codeFor(email, "sign-in", 1);
  await expect(
    page.getByRole("complementary", { name: "Local mailbox" }).getByTestId("mailbox-code"),
  ).toHaveText(code);
  await expectAccessible(page);
  await screenshot(page, "sign-in-code");

  const wrong = code === "00000000" ? "11111111" : "00000000";
  await typeWithKeyboard(page, field(page, "Code"), wrong);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText("That code isn't right.");
  expect(await storedTokens(page)).toBeUndefined();

  await field(page, "Code").fill(code);
  await button(page, "Sign in").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  expect(await storedTokens(page)).toBeDefined();
});

test("an emailed code used after its sign-in expired: a clear message, then a new code works", async ({
  page,
}) => {
  const { email } = await signedUp(page, "mary");
  await signOut(page);
  await field(page, "Email").fill(email);
  await button(page, "Send code").click();
  const first = await codeFor(email, "sign-in", 1);

  await advanceClock(FOUR_MINUTES);
  await field(page, "Code").fill(first);
  await button(page, "Sign in").click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("That code has expired.");
  expect(await storedTokens(page)).toBeUndefined();

  await alert.getByRole("button", { name: "Send a new code" }).click();
  await expect(page.getByRole("status")).toHaveText(`We sent a new code to ${email}.`);
  const second = await codeFor(email, "sign-in", 2);
  expect(second).not.toBe(first);
  await field(page, "Code").fill(second);
  await button(page, "Sign in").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
});

test("without a password, the pool's choice for this user is offered (SELECT_CHALLENGE)", async ({
  page,
}) => {
  const { email } = await signedUp(page, "annie");
  await signOut(page);
  await field(page, "Email").fill(email);
  await button(page, "Sign in").click();

  await expectPath(page, "/sign-in-method");
  await expect(heading(page)).toHaveText("Choose how to sign in");
  // No passkey yet: the pool offers a password and an emailed code only.
  const choices = page.locator(".choices").getByRole("button");
  await expect(choices).toHaveText(["Sign in with a password", "Send code"]);
  await expectAccessible(page);
  await screenshot(page, "sign-in-method");

  await pressWithKeyboard(page, button(page, "Sign in with a password"));
  await expectPath(page, "/sign-in");
  await expect(field(page, "Email")).toHaveValue(email);
  await expect(page.getByRole("status")).toHaveText("Enter your password to sign in.");
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  expect((await mailbox(email)).filter((m) => m.kind === "sign-in")).toEqual([]);
});
