import { expect, test } from "@playwright/test";
import {
  button,
  codeFor,
  expectAccessible,
  expectPath,
  field,
  heading,
  newEmail,
  outputs,
  PASSWORD,
  signIn,
  signUp,
} from "./helpers";

test("each screen has its own address, and Back and Forward move between them", async ({
  page,
}) => {
  await page.goto(outputs().webUrl);
  await expectPath(page, "/sign-in");
  await expect(heading(page)).toHaveText("Sign in");
  await expect(page).toHaveTitle("Sign in · User Profile");
  await expectAccessible(page);

  await button(page, "Sign up").click();
  await expectPath(page, "/sign-up");
  await expect(heading(page)).toHaveText("Create your account");
  await expect(page).toHaveTitle("Create your account · User Profile");
  await expectAccessible(page);

  await button(page, "Sign in").click();
  await button(page, "Forgot password?").click();
  await expectPath(page, "/forgot-password");
  await expect(heading(page)).toHaveText("Reset your password");
  await expectAccessible(page);

  await page.goBack();
  await expectPath(page, "/sign-in");
  await expect(heading(page)).toHaveText("Sign in");
  await page.goBack();
  await expectPath(page, "/sign-up");
  await expect(heading(page)).toHaveText("Create your account");
  await page.goForward();
  await page.goForward();
  await expectPath(page, "/forgot-password");
  await expect(heading(page)).toHaveText("Reset your password");
});

test("a link opens its screen directly", async ({ page }) => {
  const { webUrl } = outputs();
  await page.goto(`${webUrl}/sign-up`);
  await expect(heading(page)).toHaveText("Create your account");
  await page.goto(`${webUrl}/forgot-password`);
  await expect(heading(page)).toHaveText("Reset your password");
  await page.goto(`${webUrl}/confirm?email=${encodeURIComponent("grace@example.com")}`);
  await expect(heading(page)).toHaveText("Confirm your email");
  await expect(field(page, "Email")).toHaveValue("grace@example.com");
});

test("a reload keeps the confirm screen and the email in its address", async ({ page }) => {
  const email = newEmail("rosalind");
  await page.goto(`${outputs().webUrl}/sign-up`);
  await signUp(page, email);
  await expect(heading(page)).toHaveText("Confirm your email");
  await expectPath(page, `/confirm?email=${encodeURIComponent(email)}`);
  await expectAccessible(page);

  await page.reload();
  await expect(heading(page)).toHaveText("Confirm your email");
  await expect(field(page, "Email")).toHaveValue(email);
  // The password typed before the reload is gone (it is never in the address), so confirming
  // asks for it on the sign-in screen.
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
  await button(page, "Confirm").click();
  await expect(page.getByRole("status")).toHaveText("Email confirmed. Sign in to continue.");
  await expectPath(page, "/sign-in");
  await expect(field(page, "Email")).toHaveValue(email);
  await field(page, "Password").fill(PASSWORD);
  await button(page, "Sign in").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expectPath(page, "/profile");
});

test("an unknown address shows a not-found screen with a way back", async ({ page }) => {
  await page.goto(`${outputs().webUrl}/no/such/page`);
  await expect(heading(page)).toHaveText("Page not found");
  await expect(page).toHaveTitle("Page not found · User Profile");
  await expectPath(page, "/no/such/page");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(heading(page)).toHaveText("Sign in");
  await expectPath(page, "/sign-in");
  await page.goBack();
  await expect(heading(page)).toHaveText("Page not found");
});

test("the profile asks a signed-out visitor to sign in, then opens; signed in, sign-in is skipped", async ({
  page,
}) => {
  const { webUrl } = outputs();
  const email = newEmail("dorothy");
  await page.goto(`${webUrl}/sign-up`);
  await signUp(page, email);
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expectPath(page, "/profile");
  await expectAccessible(page);
  await button(page, "Sign out").click();
  await expect(heading(page)).toHaveText("Sign in");

  await page.goto(`${webUrl}/profile`);
  await expect(heading(page)).toHaveText("Sign in");
  await expectPath(page, `/sign-in?next=${encodeURIComponent("/profile")}`);
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expectPath(page, "/profile");

  await page.reload();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expectPath(page, "/profile");

  await page.goto(`${webUrl}/sign-in`);
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expectPath(page, "/profile");

  await button(page, "Sign out").click();
  await expect(page.getByRole("status")).toHaveText("You're signed out.");
  await expectPath(page, "/sign-in");
  // Back reaches the profile's place in history, but a signed-out visitor sees sign-in there.
  await page.goBack();
  await expect(heading(page)).toHaveText("Sign in");
  await expect(page.getByTestId("profile-email")).toHaveCount(0);
});
