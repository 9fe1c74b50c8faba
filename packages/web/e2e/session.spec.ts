import { expect, type Page, test } from "@playwright/test";
import { button, codeFor, field, heading, newEmail, outputs, screenshot, signUp } from "./helpers";
import {
  editStoredTokens,
  getTokensFromRefreshToken,
  getUser,
  refreshTokenAuth,
  storedTokens,
  userPoolOperation,
} from "./services";

async function signedUpAndIn(page: Page) {
  const email = newEmail("tim");
  await page.goto(outputs().webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email);
  await field(page, "Confirmation code").fill(await codeFor(email, "signup"));
  await button(page, "Confirm").click();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  return email;
}

test("expired tokens are refreshed before the API sees them", async ({ page }) => {
  const email = await signedUpAndIn(page);
  expect(await editStoredTokens(page, { expire: true })).toHaveLength(2);
  const statuses: number[] = [];
  page.on("response", (r) => {
    if (r.url() === `${outputs().apiUrl}/me`) statuses.push(r.status());
  });
  await page.reload();
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  expect(statuses).toEqual([200]);
});

test("a session that can no longer be refreshed sends the person to sign in", async ({ page }) => {
  await signedUpAndIn(page);
  await editStoredTokens(page, { expire: true, breakRefreshToken: true });
  await page.reload();
  await expect(heading(page)).toHaveText("Sign in");
  await expect(page.getByRole("alert")).toHaveText(/session has expired/);
});

test("after Sign out the refresh token the app held is refused by the user pool", async ({
  page,
}) => {
  await signedUpAndIn(page);
  const held = await storedTokens(page);
  if (!held) throw new Error("Amplify keeps no tokens in localStorage after signing in.");
  const { refreshToken, accessToken } = held;
  expect((await refreshTokenAuth(refreshToken)).AuthenticationResult?.IdToken).toBeTruthy();
  expect((await getUser(accessToken)).Username).toBeTruthy();

  const revoked = page.waitForResponse((r) => userPoolOperation(r.request()) === "RevokeToken");
  await button(page, "Sign out").click();
  expect((await revoked).status()).toBe(200);
  await expect(heading(page)).toHaveText("Sign in");
  await expect(page.getByRole("status")).toHaveText("You're signed out.");
  await screenshot(page, "signed-out");
  expect(await storedTokens(page)).toBeUndefined();

  const refused = { name: "NotAuthorizedException", message: "Refresh Token has been revoked" };
  await expect(refreshTokenAuth(refreshToken)).rejects.toMatchObject(refused);
  await expect(getTokensFromRefreshToken(refreshToken)).rejects.toMatchObject(refused);
  await expect(getUser(accessToken)).rejects.toMatchObject({
    name: "NotAuthorizedException",
    message: "Access Token has been revoked",
  });

  await page.reload();
  await expect(heading(page)).toHaveText("Sign in");
});
