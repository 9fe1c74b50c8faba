import { render, screen, waitFor } from "@testing-library/react";
import * as auth from "aws-amplify/auth";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auth as loadAuth } from "../src/amplify";
import { Confirm } from "../src/screens/confirm";
import { ForgotPassword } from "../src/screens/forgot-password";
import { alertText, click, named, signedIn, type } from "./screen-helpers";

vi.mock("aws-amplify/auth", () => ({
  signUp: vi.fn(),
  confirmSignUp: vi.fn(),
  resendSignUpCode: vi.fn(),
  signIn: vi.fn(),
  signOut: vi.fn(),
  resetPassword: vi.fn(),
  confirmResetPassword: vi.fn(),
  fetchAuthSession: vi.fn(),
}));

const mocked = vi.mocked(auth);

// Amplify is a chunk of its own, loaded on first use: loaded once here, not inside a timed wait.
beforeAll(() => loadAuth());

describe("confirm", () => {
  const go = vi.fn();

  it("says when the code is wrong", async () => {
    render(<Confirm go={go} initialEmail="ada@example.com" />);
    mocked.confirmSignUp.mockRejectedValue(named("CodeMismatchException"));
    type("Confirmation code", "123456");
    click("Confirm");
    await waitFor(() => expect(alertText()).toMatch(/isn't right/));
  });

  it("treats a failed trigger as confirmed and signs in with the password it was given", async () => {
    render(<Confirm go={go} initialEmail="ada@example.com" password="Abcdef1!" />);
    mocked.confirmSignUp.mockRejectedValue(named("UserLambdaValidationException"));
    mocked.signIn.mockResolvedValue(signedIn);
    type("Confirmation code", "123456");
    click("Confirm");
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: "profile" }));
  });

  it("resends the code", async () => {
    render(<Confirm go={go} initialEmail="ada@example.com" />);
    mocked.resendSignUpCode.mockResolvedValue(
      {} as Awaited<ReturnType<typeof auth.resendSignUpCode>>,
    );
    click("Resend code");
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/new code/));
    expect(mocked.resendSignUpCode).toHaveBeenCalledWith({ username: "ada@example.com" });
  });

  it("offers a new code when the code has expired, then confirms with it", async () => {
    render(<Confirm go={go} initialEmail="ada@example.com" />);
    mocked.confirmSignUp.mockRejectedValueOnce(named("ExpiredCodeException"));
    type("Confirmation code", "123456");
    click("Confirm");
    await waitFor(() => expect(alertText()).toMatch(/expired/));
    mocked.resendSignUpCode.mockResolvedValue(
      {} as Awaited<ReturnType<typeof auth.resendSignUpCode>>,
    );
    click("Send a new code");
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/new code/));
    expect(mocked.resendSignUpCode).toHaveBeenCalledWith({ username: "ada@example.com" });
    expect((screen.getByLabelText("Confirmation code") as HTMLInputElement).value).toBe("");
    mocked.confirmSignUp.mockResolvedValue({} as Awaited<ReturnType<typeof auth.confirmSignUp>>);
    type("Confirmation code", "654321");
    click("Confirm");
    await waitFor(() =>
      expect(go).toHaveBeenCalledWith(
        expect.objectContaining({ name: "sign-in", email: "ada@example.com" }),
      ),
    );
  });

  it.each([
    ["confirming", "TooManyFailedAttemptsException"],
    ["confirming", "LimitExceededException"],
    ["resending", "LimitExceededException"],
    ["resending", "TooManyRequestsException"],
  ])("asks the person to wait when %s hits %s", async (step, name) => {
    render(<Confirm go={go} initialEmail="ada@example.com" />);
    if (step === "confirming") {
      mocked.confirmSignUp.mockRejectedValue(named(name));
      type("Confirmation code", "123456");
      click("Confirm");
    } else {
      mocked.resendSignUpCode.mockRejectedValue(named(name));
      click("Resend code");
    }
    await waitFor(() =>
      expect(alertText()).toBe("Too many attempts. Wait a few minutes, then try again."),
    );
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Send a new code" })).toBeNull();
  });

  it("explains why it came here when sent from sign-in, and keeps the email", () => {
    render(
      <Confirm
        go={go}
        initialEmail="ada@example.com"
        password="Abcdef1!"
        initialNotice={{ tone: "error", text: "This email isn't confirmed yet." }}
      />,
    );
    expect(alertText()).toBe("This email isn't confirmed yet.");
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("ada@example.com");
    expect(screen.getByRole("button", { name: "Resend code" })).toBeTruthy();
  });
});

describe("forgot password", () => {
  it("requests a code, then sets the new password and signs in", async () => {
    const go = vi.fn();
    render(<ForgotPassword go={go} initialEmail="ada@example.com" />);
    mocked.resetPassword.mockResolvedValue({} as Awaited<ReturnType<typeof auth.resetPassword>>);
    click("Send code");
    await screen.findByLabelText("Confirmation code");
    mocked.confirmResetPassword.mockRejectedValueOnce(named("ExpiredCodeException"));
    type("Confirmation code", "111111");
    type("New password", "Newpass1!");
    click("Reset password");
    await waitFor(() => expect(alertText()).toMatch(/expired/));
    mocked.confirmResetPassword.mockResolvedValue();
    mocked.signIn.mockResolvedValue(signedIn);
    click("Reset password");
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: "profile" }));
    expect(mocked.confirmResetPassword).toHaveBeenLastCalledWith({
      username: "ada@example.com",
      confirmationCode: "111111",
      newPassword: "Newpass1!",
    });
  });
});

describe("forgot password, expired code", () => {
  it("offers to send a new reset code", async () => {
    render(<ForgotPassword go={vi.fn()} initialEmail="ada@example.com" />);
    mocked.resetPassword.mockResolvedValue({} as Awaited<ReturnType<typeof auth.resetPassword>>);
    click("Send code");
    await screen.findByLabelText("Confirmation code");
    expect(mocked.resetPassword).toHaveBeenCalledTimes(1);
    mocked.confirmResetPassword.mockRejectedValueOnce(named("ExpiredCodeException"));
    type("Confirmation code", "111111");
    type("New password", "Newpass1!");
    click("Reset password");
    await waitFor(() => expect(alertText()).toMatch(/expired/));
    click("Send a new code");
    await waitFor(() => expect(mocked.resetPassword).toHaveBeenCalledTimes(2));
    expect(mocked.resetPassword).toHaveBeenLastCalledWith({ username: "ada@example.com" });
  });
});
