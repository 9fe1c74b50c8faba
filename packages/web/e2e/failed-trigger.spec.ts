import { expect, test } from "@playwright/test";
import { button, codeFor, field, newEmail, outputs, screenshot, signUp } from "./helpers";
import {
  claimsOf,
  failNextTriggers,
  profileItem,
  remainingTriggerFailures,
  userPoolOperation,
} from "./services";

test.afterEach(async () => {
  await failNextTriggers(0);
});

test("when the Post Confirmation trigger fails, the profile is rebuilt on first load", async ({
  page,
}) => {
  const { webUrl, apiUrl } = outputs();
  const email = newEmail("mary");
  await page.goto(webUrl);
  await button(page, "Sign up").click();
  await signUp(page, email, undefined, { firstName: "Mary", lastName: "Jackson" });
  const code = await codeFor(email, "signup");

  // What the table holds at the moment the first GET /me reaches the API.
  const itemsWhenFirstLoaded: unknown[] = [];
  await page.route(`${apiUrl}/me`, async (route) => {
    const request = route.request();
    if (request.method() === "GET" && itemsWhenFirstLoaded.length === 0) {
      const token = (request.headers().authorization ?? "").replace(/^Bearer /, "");
      itemsWhenFirstLoaded.push(await profileItem(String(claimsOf(token).sub)));
    }
    await route.continue();
  });

  await failNextTriggers(1);
  const profileLoaded = page.waitForResponse(
    (r) => r.url() === `${apiUrl}/me` && r.request().method() === "GET",
  );
  const confirmSignUp = page.waitForResponse(
    (r) => userPoolOperation(r.request()) === "ConfirmSignUp",
  );
  await field(page, "Confirmation code").fill(code);
  await button(page, "Confirm").click();
  const confirmed = await confirmSignUp;
  expect(confirmed.status()).toBe(400);
  expect(await confirmed.json()).toMatchObject({ __type: "UserLambdaValidationException" });
  expect(await remainingTriggerFailures()).toBe(0);

  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expect(field(page, "First name")).toHaveValue("Mary");
  await expect(field(page, "Last name")).toHaveValue("Jackson");
  await screenshot(page, "profile-healed");

  expect(itemsWhenFirstLoaded).toEqual([undefined]);
  const { userId, createdAt } = await (await profileLoaded).json();
  expect(await profileItem(userId)).toMatchObject({
    UserID: { S: userId },
    Email: { S: email },
    firstName: { S: "Mary" },
    lastName: { S: "Jackson" },
    CreatedAt: { S: createdAt },
  });
});
