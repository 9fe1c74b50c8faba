import { expect, test } from "@playwright/test";
import {
  button,
  codeFor,
  field,
  heading,
  newEmail,
  outputs,
  PASSWORD,
  screenshot,
  signIn,
  signUp,
} from "./helpers";
import { userPoolOperation } from "./services";

test("sign-up errors: weak password, then an email that is already registered", async ({
  page,
}) => {
  const email = newEmail("grace");
  await page.goto(outputs().webUrl);
  await button(page, "Sign up").click();

  await signUp(page, email, "lowercase1");
  await expect(page.getByRole("alert")).toHaveText(/too weak/);
  await screenshot(page, "sign-up-weak-password");

  await field(page, "Password").fill(PASSWORD);
  await button(page, "Sign up").click();
  await expect(heading(page)).toHaveText("Confirm your email");

  await button(page, "Sign in").click();
  await button(page, "Sign up").click();
  await signUp(page, email, PASSWORD);
  await expect(page.getByRole("alert")).toHaveText(/already exists/);
  await button(page, "Go to sign in").click();
  await expect(heading(page)).toHaveText("Sign in");
  await expect(field(page, "Email")).toHaveValue(email);
});

test("an unconfirmed user is offered to confirm; a wrong code is explained; a resent code works", async ({
  page,
}) => {
  const email = newEmail("hedy");
  await page.goto(outputs().webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email);
  await expect(heading(page)).toHaveText("Confirm your email");
  const first = await codeFor(email, "signup");

  // A later visit, signing in instead of finishing now.
  await page.goto(outputs().webUrl);
  await signIn(page, email, PASSWORD);
  await expect(heading(page)).toHaveText("Confirm your email");
  await expect(field(page, "Email")).toHaveValue(email);
  await expect(page.getByRole("alert")).toContainText("isn't confirmed");
  await screenshot(page, "confirm-unconfirmed-sign-in");

  const wrong = first === "000000" ? "111111" : "000000";
  await field(page, "Confirmation code").fill(wrong);
  await button(page, "Confirm").click();
  await expect(page.getByRole("alert")).toHaveText(/isn't right/);
  await screenshot(page, "confirm-wrong-code");

  await button(page, "Resend code").click();
  await expect(page.getByRole("status")).toHaveText(`We sent a new code to ${email}.`);
  const resent = await codeFor(email, "resend", 1);
  const panel = page.getByRole("complementary", { name: "Local mailbox" });
  await expect(panel.getByTestId("mailbox-code")).toHaveText(resent);
  await panel.getByRole("button", { name: "Use this code" }).click();
  await expect(field(page, "Confirmation code")).toHaveValue(resent);
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
});

test("an unconfirmed user with a wrong password is sent to confirm too, then signs in", async ({
  page,
}) => {
  const email = newEmail("ida");
  await page.goto(outputs().webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email);
  await expect(heading(page)).toHaveText("Confirm your email");
  const code = await codeFor(email, "signup");

  await page.goto(outputs().webUrl);
  const userPoolErrors: unknown[] = [];
  page.on("response", async (r) => {
    if (userPoolOperation(r.request()) && r.status() === 400) {
      userPoolErrors.push((await r.json()).__type);
    }
  });
  await signIn(page, email, "Wrong-password-9");
  await expect(heading(page)).toHaveText("Confirm your email");
  await expect(field(page, "Email")).toHaveValue(email);
  await expect(page.getByRole("alert")).toContainText("isn't confirmed");
  await expect.poll(() => userPoolErrors).toEqual(["UserNotConfirmedException"]);

  await field(page, "Confirmation code").fill(code);
  await button(page, "Confirm").click();
  await expect(heading(page)).toHaveText("Sign in");
  await expect(page.getByRole("status")).toHaveText("Email confirmed. Sign in to continue.");
  await expect(field(page, "Email")).toHaveValue(email);
  await screenshot(page, "sign-in-after-confirm");
  await field(page, "Password").fill(PASSWORD);
  await button(page, "Sign in").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
});

test("messages appear without moving the form", async ({ page }) => {
  await page.goto(outputs().webUrl);
  const submit = button(page, "Sign in");
  const before = await submit.boundingBox();
  await signIn(page, newEmail("nobody"), PASSWORD);
  await expect(page.getByRole("alert")).toHaveText("Incorrect email or password.");
  expect(await submit.boundingBox()).toEqual(before);
});

test.describe("on a 360-px phone", () => {
  test.use({ viewport: { width: 360, height: 780 } });

  test("every screen fits without horizontal scrolling", async ({ page }) => {
    const email = newEmail("phone");
    const fits = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        360,
      );
    await page.goto(outputs().webUrl);
    await fits();
    await button(page, "Sign up").click();
    await field(page, "Password").fill("Short1");
    await fits();
    await screenshot(page, "phone-sign-up");
    await signUp(page, email);
    await expect(heading(page)).toHaveText("Confirm your email");
    await fits();
    await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
    await button(page, "Confirm").click();
    await expect(page.getByTestId("profile-email")).toHaveText(email);
    await fits();
    await screenshot(page, "phone-profile");
  });
});

test("when the API or the sign-in service is unreachable, the person can retry", async ({
  page,
}) => {
  const { webUrl, apiUrl, cognitoEndpoint } = outputs();
  const email = newEmail("offline");
  await page.goto(webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email);
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));

  await page.route(`${apiUrl}/**`, (route) => route.abort("connectionrefused"));
  await button(page, "Confirm").click();
  await expect(page.getByRole("alert")).toHaveText(/Can't reach the profile API/);
  await screenshot(page, "profile-api-down");
  await page.unroute(`${apiUrl}/**`);
  await button(page, "Retry").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);

  await button(page, "Sign out").click();
  await page.route(`${cognitoEndpoint}/**`, (route) => route.abort("connectionrefused"));
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("alert")).toContainText("Can't reach the sign-in service", {
    timeout: 30_000,
  });
  await page.unroute(`${cognitoEndpoint}/**`);
  await button(page, "Try again").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
});
