import { expect, test } from "@playwright/test";
import { button, codeFor, field, heading, newEmail, outputs, screenshot, signUp } from "./helpers";
import { advanceClock, resetClock } from "./services";

/** Sign-up codes last 24 hours on Cognito; a day and an hour later the first one is stale. */
const A_DAY_AND_AN_HOUR = 25 * 60 * 60;

test.afterEach(async () => {
  await resetClock();
});

test("a code that expired: the person sends a new one and confirms with it", async ({ page }) => {
  const email = newEmail("kat");
  await page.goto(outputs().webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email, undefined, { firstName: "Katherine", lastName: "Johnson" });
  await expect(heading(page)).toHaveText("Confirm your email");
  const first = await codeFor(email, "signup");

  // The clock stays a day on to the end, as for a person who comes back the next day: the
  // tokens the pool then issues must pass the API's authorizer too.
  await advanceClock(A_DAY_AND_AN_HOUR);
  await field(page, "Confirmation code").fill(first);
  await button(page, "Confirm").click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("That code has expired.");
  await screenshot(page, "confirm-expired-code");

  await alert.getByRole("button", { name: "Send a new code" }).click();
  await expect(page.getByRole("status")).toHaveText(`We sent a new code to ${email}.`);
  await expect(field(page, "Confirmation code")).toHaveValue("");
  const resent = await codeFor(email, "resend", 1);

  await field(page, "Confirmation code").fill(resent);
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expect(field(page, "First name")).toHaveValue("Katherine");
});
