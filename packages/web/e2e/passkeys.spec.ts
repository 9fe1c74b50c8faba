import { expect, type Page, test } from "@playwright/test";
import {
  button,
  expectAccessible,
  expectPath,
  field,
  heading,
  pressWithKeyboard,
  screenshot,
  signedUpAndConfirmed,
  typeWithKeyboard,
} from "./helpers";
import { storedTokens } from "./services";

/** Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain): a platform passkey that verifies its user. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () =>
    (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  return { credentials };
}

async function signOut(page: Page) {
  await button(page, "Sign out").click();
  await expectPath(page, "/sign-in");
  await expect(page.getByRole("status")).toHaveText("You're signed out.");
}

test("add a passkey, sign in with it, remove it; a removed passkey signs in no more", async ({
  page,
}) => {
  const authenticator = await virtualAuthenticator(page);
  const email = await signedUpAndConfirmed(page, "dorothy");
  const passkeys = page.getByRole("list", { name: "Your passkeys" });

  await test.step("add one from the Security section", async () => {
    await pressWithKeyboard(page, button(page, "Manage passkeys"));
    await expectPath(page, "/passkeys");
    await expect(heading(page)).toHaveText("Passkeys");
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
    await expectAccessible(page);
    await pressWithKeyboard(page, button(page, "Add a passkey"));
    await expect(page.getByRole("status")).toHaveText(
      "Passkey added. You can sign in with it now.",
    );
    await expect(passkeys.getByRole("listitem")).toHaveCount(1);
    const today = new Intl.DateTimeFormat("en-US", { dateStyle: "long" }).format(new Date());
    await expect(passkeys.getByRole("listitem").locator("time")).toHaveText(today);
    expect(await authenticator.credentials()).toHaveLength(1);
    await expectAccessible(page);
    await screenshot(page, "passkeys");
  });

  await test.step("sign in with it, no password", async () => {
    await button(page, "Back to your profile").click();
    await signOut(page);
    await typeWithKeyboard(page, field(page, "Email"), email);
    await pressWithKeyboard(page, button(page, "Sign in with a passkey"));
    await expect(page.getByTestId("profile-email")).toHaveText(email);
  });

  await test.step("remove it", async () => {
    await button(page, "Manage passkeys").click();
    await expect(passkeys.getByRole("listitem")).toHaveCount(1);
    await pressWithKeyboard(page, passkeys.getByRole("button", { name: "Remove" }));
    await expect(page.getByRole("status")).toContainText("was removed.");
    await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  });

  await test.step("the removed passkey, still on the device, no longer signs in", async () => {
    expect(await authenticator.credentials()).toHaveLength(1);
    await button(page, "Back to your profile").click();
    await signOut(page);
    await field(page, "Email").fill(email);
    await button(page, "Sign in with a passkey").click();
    await expectPath(page, "/sign-in-method");
    await expect(page.getByRole("alert")).toHaveText(
      "There's no passkey for this account: it may have been removed. Choose another way to sign in.",
    );
    await expect(page.locator(".choices").getByRole("button")).toHaveText([
      "Sign in with a password",
      "Send code",
    ]);
    expect(await storedTokens(page)).toBeUndefined();
    await expectAccessible(page);
  });
});
