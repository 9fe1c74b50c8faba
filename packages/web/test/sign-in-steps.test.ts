import { describe, expect, it } from "vitest";
import { nextOf } from "../src/auth-flow";
import { routeAt, urlOf } from "../src/routes";
import { routeAfter } from "../src/sign-in-steps";

type Output = Parameters<typeof nextOf>[0];
const step = (nextStep: Record<string, unknown>) =>
  ({ isSignedIn: false, nextStep }) as unknown as Output;

describe("sign-in steps", () => {
  it("read the factors the pool offers, once each, PASSWORD_SRP as the password", () => {
    expect(
      nextOf(
        step({
          signInStep: "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
          availableChallenges: ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"],
        }),
      ),
    ).toEqual({ outcome: "choose", factors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] });
    expect(nextOf(step({ signInStep: "CONFIRM_SIGN_IN_WITH_EMAIL_CODE" })).outcome).toBe(
      "email-code",
    );
    expect(nextOf(step({ signInStep: "CONFIRM_SIGN_IN_WITH_TOTP_CODE" })).outcome).toBe("totp");
    expect(nextOf(step({ signInStep: "CONTINUE_SIGN_IN_WITH_MFA_SELECTION" })).outcome).toBe(
      "unsupported",
    );
    expect(nextOf({ isSignedIn: true, nextStep: { signInStep: "DONE" } } as Output).outcome).toBe(
      "signed-in",
    );
  });

  it("send each step to its own URL, keeping where the person was going", () => {
    const code = routeAfter({ outcome: "email-code" }, "a+b@example.com", "change-email");
    expect(code && urlOf(code)).toBe(
      "/sign-in-code?email=a%2Bb%40example.com&next=%2Fchange-email",
    );
    expect(routeAt("/sign-in-code", "?email=a%2Bb%40example.com&next=%2Fchange-email")).toEqual({
      name: "sign-in-code",
      email: "a+b@example.com",
      next: "change-email",
    });
    const totp = routeAfter({ outcome: "totp" }, "", "profile");
    expect(totp && urlOf(totp)).toBe("/sign-in-totp");
    const choose = routeAfter({ outcome: "choose", factors: ["PASSWORD"] }, "a@b.co", "profile");
    expect(choose).toEqual({ name: "sign-in-method", email: "a@b.co", factors: ["PASSWORD"] });
    expect(choose && urlOf(choose)).toBe("/sign-in-method");
    expect(routeAfter({ outcome: "unsupported" }, "a@b.co", "profile")).toBeUndefined();
  });
});
