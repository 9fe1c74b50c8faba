import {
  ChangePasswordCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  failure,
  type Harness,
  PASSWORD,
  signUpAndConfirm,
  uniqueEmail,
  wrongCode,
} from "./cognito-harness";
import { passwordTokens, startSignInHarness } from "./sign-in-harness";

let h: Harness;

beforeAll(async () => {
  h = await startSignInHarness();
});

afterAll(async () => {
  await h?.stop();
});

async function emailOf(AccessToken: string) {
  const user = await h.client.send(new GetUserCommand({ AccessToken }));
  const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
  return { email: attribute("email"), verified: attribute("email_verified") };
}

describe("changing the email (AttributesRequireVerificationBeforeUpdate)", () => {
  it("keeps the old address, verified and signing in, until the new one's code is entered", async () => {
    const before = uniqueEmail("old");
    const after = uniqueEmail("new");
    await signUpAndConfirm(h, before);
    const { AccessToken } = await passwordTokens(h, before);
    const sent = await h.client.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: "email", Value: after }],
      }),
    );
    expect(sent.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "n***@e***" },
    ]);
    const code = h.mailbox.latest(after, "verify-attribute")?.code as string;
    expect(code).toBeTruthy();
    expect(await emailOf(AccessToken)).toEqual({ email: before, verified: "true" });
    expect((await passwordTokens(h, before)).AccessToken).toBeTruthy();
    expect((await failure(passwordTokens(h, after))).name).toBe("NotAuthorizedException");

    expect(
      await failure(
        h.client.send(
          new VerifyUserAttributeCommand({
            AccessToken,
            AttributeName: "email",
            Code: wrongCode(code),
          }),
        ),
      ),
    ).toMatchObject({ name: "CodeMismatchException" });
    expect(await emailOf(AccessToken)).toEqual({ email: before, verified: "true" });

    await h.client.send(
      new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: code }),
    );
    expect(await emailOf(AccessToken)).toEqual({ email: after, verified: "true" });
    expect((await passwordTokens(h, after)).AccessToken).toBeTruthy();
    expect((await failure(passwordTokens(h, before))).name).toBe("NotAuthorizedException");
  });
});

describe("ChangePassword", () => {
  it("refuses a wrong current password and changes nothing; the right one changes it", async () => {
    const email = uniqueEmail("change-password");
    await signUpAndConfirm(h, email);
    const { AccessToken } = await passwordTokens(h, email);
    const next = "An0ther-Secret!";
    expect(
      await failure(
        h.client.send(
          new ChangePasswordCommand({
            AccessToken,
            PreviousPassword: "Wr0ng-Secret!",
            ProposedPassword: next,
          }),
        ),
      ),
    ).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    expect((await passwordTokens(h, email, PASSWORD)).AccessToken).toBeTruthy();
    await h.client.send(
      new ChangePasswordCommand({
        AccessToken,
        PreviousPassword: PASSWORD,
        ProposedPassword: next,
      }),
    );
    expect((await passwordTokens(h, email, next)).AccessToken).toBeTruthy();
    expect((await failure(passwordTokens(h, email, PASSWORD))).name).toBe("NotAuthorizedException");
  });
});
