import { describe, expect, it } from "vitest";
import { describeAuthError, sessionEnded } from "../src/auth-errors";

const named = (name: string, message = "") => Object.assign(new Error(message), { name });

describe("describeAuthError", () => {
  it("tells a person the email is taken and offers sign-in", () => {
    expect(describeAuthError(named("UsernameExistsException"), "sign-up")).toEqual({
      message: "An account with this email already exists. Sign in instead.",
      action: "sign-in",
    });
  });

  it("explains weak passwords, wrong and expired codes", () => {
    expect(describeAuthError(named("InvalidPasswordException"), "sign-up").message).toMatch(
      /too weak/,
    );
    expect(describeAuthError(named("CodeMismatchException"), "confirm-sign-up").message).toMatch(
      /isn't right/,
    );
    expect(describeAuthError(named("ExpiredCodeException"), "reset-password").message).toMatch(
      /expired/,
    );
  });

  it("gives the same message for a wrong password and an unknown user at sign-in", () => {
    const wrong = describeAuthError(named("NotAuthorizedException"), "sign-in");
    const unknown = describeAuthError(named("UserNotFoundException"), "sign-in");
    expect(wrong.message).toBe("Incorrect email or password.");
    expect(unknown).toEqual(wrong);
  });

  it("reads NotAuthorizedException by step", () => {
    expect(describeAuthError(named("NotAuthorizedException"), "confirm-sign-up")).toMatchObject({
      action: "sign-in",
    });
    expect(describeAuthError(named("NotAuthorizedException"), "session").message).toMatch(
      /session has expired/,
    );
  });

  it("offers to confirm an unconfirmed user", () => {
    expect(describeAuthError(named("UserNotConfirmedException"), "sign-in").action).toBe("confirm");
  });

  it("offers a retry when the network is down", () => {
    expect(describeAuthError(named("NetworkError"), "sign-in").action).toBe("retry");
    expect(describeAuthError(new TypeError("Failed to fetch"), "sign-up").action).toBe("retry");
  });

  it("never shows a raw service message for unknown errors", () => {
    const friendly = describeAuthError(
      named("InternalErrorException", "stack trace here"),
      "sign-up",
    );
    expect(friendly.message).toBe("Something went wrong. Please try again.");
    expect(describeAuthError("boom", "sign-in").message).toBe(
      "Something went wrong. Please try again.",
    );
  });

  it("maps Amplify's own validation errors", () => {
    expect(describeAuthError(named("EmptySignInPassword"), "sign-in").message).toBe(
      "Enter your password.",
    );
  });

  it("offers a new code for an expired or wrong code", () => {
    for (const name of ["ExpiredCodeException", "CodeMismatchException"]) {
      for (const step of ["confirm-sign-up", "reset-password"] as const) {
        expect(describeAuthError(named(name), step).action).toBe("resend-code");
      }
    }
  });

  it("asks the person to wait, without an immediate retry, when Cognito limits them", () => {
    for (const name of [
      "LimitExceededException",
      "TooManyFailedAttemptsException",
      "TooManyRequestsException",
    ]) {
      expect(describeAuthError(named(name), "resend-code")).toEqual({
        message: "Too many attempts. Wait a few minutes, then try again.",
      });
    }
    expect(
      describeAuthError(named("NotAuthorizedException", "Password attempts exceeded"), "sign-in"),
    ).toEqual({ message: "Too many attempts. Wait a few minutes, then try again." });
    expect(
      describeAuthError(
        named("NotAuthorizedException", "Incorrect username or password."),
        "sign-in",
      ).message,
    ).toBe("Incorrect email or password.");
  });

  it("says a refused refresh means signing in again", () => {
    expect(describeAuthError(named("NotAuthorizedException"), "session")).toEqual({
      message: "Your session has expired. Please sign in again.",
    });
  });

  it("reads the errors of a signed-in person's Security screens by their step", () => {
    const wrongPassword = {
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    };
    expect(describeAuthError(wrongPassword, "change-password").message).toBe(
      "Your current password isn't right. Check it and try again.",
    );
    expect(describeAuthError({ name: "AliasExistsException" }, "change-email").message).toMatch(
      /Another account already uses this email/,
    );
    const revoked = { name: "NotAuthorizedException", message: "Access Token has been revoked" };
    expect(sessionEnded(revoked)).toBe(true);
    expect(sessionEnded(wrongPassword)).toBe(false);
    expect(describeAuthError(revoked, "change-password").message).toMatch(/session has expired/);
    expect(describeAuthError({ name: "CodeMismatchException" }, "verify-email").action).toBe(
      "resend-code",
    );
  });
});
