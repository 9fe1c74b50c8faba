import { expect, test } from "@playwright/test";
import {
  button,
  codeFor,
  field,
  heading,
  NEW_PASSWORD,
  newEmail,
  outputs,
  PASSWORD,
  screenshot,
  signIn,
  signUp,
} from "./helpers";

test("a person signs up, confirms, edits the profile, resets the password and deletes the account", async ({
  page,
}) => {
  const { webUrl, apiUrl } = outputs();
  const email = newEmail("ada");

  await test.step("sign up", async () => {
    await page.goto(webUrl);
    await expect(heading(page)).toHaveText("Sign in");
    await screenshot(page, "sign-in");
    await button(page, "Sign up").click();
    await expect(heading(page)).toHaveText("Create your account");
    await field(page, "Password").fill("Correct-horse");
    await expect(page.getByRole("list", { name: "Password rules" }).locator("li.met")).toHaveCount(
      4,
    );
    await signUp(page, email, PASSWORD, { firstName: "Ada", lastName: "Lovelace" });
  });

  await test.step("confirm with the code from the mailbox", async () => {
    await expect(heading(page)).toHaveText("Confirm your email");
    const code = await codeFor(email, "signup");
    const panel = page.getByRole("complementary", { name: "Local mailbox" });
    await expect(panel.getByTestId("mailbox-code")).toHaveText(code);
    await field(page, "Confirmation code").fill(code);
    await screenshot(page, "confirm");
    const profileLoaded = page.waitForResponse(
      (r) => r.url() === `${apiUrl}/me` && r.request().method() === "GET",
    );
    await button(page, "Confirm").click();

    await test.step("signed in (SRP) and the profile comes from GET /me", async () => {
      const response = await profileLoaded;
      expect(response.status()).toBe(200);
      expect(response.request().headers().authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      const body = await response.json();
      expect(body).toMatchObject({ email, firstName: "Ada", lastName: "Lovelace" });
      await expect(heading(page)).toHaveText("Your profile");
      await expect(page.getByTestId("profile-email")).toHaveText(email);
      await expect(field(page, "First name")).toHaveValue("Ada");
      await expect(field(page, "Last name")).toHaveValue("Lovelace");
      const since = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(
        new Date(body.createdAt),
      );
      await expect(page.locator("time")).toHaveText(since);
      await expect(page.getByText("Authorization: Bearer")).toBeVisible();
    });
  });

  await test.step("the session survives a reload", async () => {
    await page.reload();
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });

  await test.step("edit the names and save", async () => {
    await field(page, "First name").fill("Augusta Ada");
    await field(page, "Last name").fill("King");
    const saved = page.waitForResponse(
      (r) => r.url() === `${apiUrl}/me` && r.request().method() === "PATCH",
    );
    await button(page, "Save").click();
    expect(JSON.parse((await saved).request().postData() ?? "{}")).toEqual({
      firstName: "Augusta Ada",
      lastName: "King",
    });
    await expect(page.getByRole("status")).toHaveText("Saved.");
    await screenshot(page, "profile");
    await page.reload();
    await expect(field(page, "First name")).toHaveValue("Augusta Ada");
    await expect(field(page, "Last name")).toHaveValue("King");
  });

  await test.step("sign out and in again, by keyboard", async () => {
    await button(page, "Sign out").click();
    await expect(heading(page)).toHaveText("Sign in");
    await expect(page.getByRole("status")).toHaveText("You're signed out.");
    await field(page, "Email").focus();
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await expect(field(page, "Password")).toBeFocused();
    await page.keyboard.type(PASSWORD);
    const initiateAuth = page.waitForRequest(
      (r) => r.headers()["x-amz-target"] === "AWSCognitoIdentityProviderService.InitiateAuth",
    );
    await page.keyboard.press("Enter");
    expect(JSON.parse((await initiateAuth).postData() ?? "{}")).toMatchObject({
      AuthFlow: "USER_SRP_AUTH",
    });
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });

  await test.step("forgot password: request a code, set a new password", async () => {
    await button(page, "Sign out").click();
    await field(page, "Email").fill(email);
    await button(page, "Forgot password?").click();
    await expect(heading(page)).toHaveText("Reset your password");
    await expect(field(page, "Email")).toHaveValue(email);
    await button(page, "Send code").click();
    const code = await codeFor(email, "forgot-password", 1);
    await field(page, "Confirmation code").fill(code);
    await field(page, "New password").fill(NEW_PASSWORD);
    await screenshot(page, "forgot-password");
    await button(page, "Reset password").click();
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });

  await test.step("the old password no longer works, the new one does", async () => {
    await button(page, "Sign out").click();
    await signIn(page, email, PASSWORD);
    await expect(page.getByRole("alert")).toHaveText("Incorrect email or password.");
    await screenshot(page, "sign-in-error");
    await field(page, "Password").fill(NEW_PASSWORD);
    await button(page, "Sign in").click();
    await expect(page.getByTestId("profile-email")).toHaveText(email);
    await expect(field(page, "First name")).toHaveValue("Augusta Ada");
  });

  await test.step("delete the account after confirming", async () => {
    await button(page, "Delete account").click();
    await expect(page.getByRole("heading", { name: "Delete your account?" })).toBeVisible();
    await expect(button(page, "Cancel")).toBeFocused();
    await screenshot(page, "delete-account");
    const deleted = page.waitForResponse(
      (r) => r.url() === `${apiUrl}/me` && r.request().method() === "DELETE",
    );
    await button(page, "Yes, delete my account").click();
    expect((await deleted).status()).toBeLessThan(300);
    await expect(heading(page)).toHaveText("Sign in");
    await expect(page.getByRole("status")).toHaveText("Your account and profile were deleted.");
  });

  await test.step("sign-in fails for the deleted account", async () => {
    await signIn(page, email, NEW_PASSWORD);
    await expect(page.getByRole("alert")).toHaveText("Incorrect email or password.");
  });
});
