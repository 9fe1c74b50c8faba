import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as auth from "aws-amplify/auth";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auth as loadAuth } from "../src/amplify";
import { SignIn } from "../src/screens/sign-in";
import { SignUp } from "../src/screens/sign-up";
import { alertText, click, deferred, named, signedIn, type } from "./screen-helpers";

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

describe("sign up", () => {
  const go = vi.fn();
  beforeEach(() => {
    render(<SignUp go={go} />);
  });

  it("labels every input with the exact texts and shows the rules live", () => {
    for (const label of ["Email", "Password", "First name", "Last name"]) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
    const rules = screen.getByRole("list", { name: "Password rules" });
    expect(rules.querySelectorAll("li.met")).toHaveLength(0);
    type("Password", "abcDEF12");
    expect(rules.querySelectorAll("li.met")).toHaveLength(4);
  });

  it("toggles the password's visibility", () => {
    const input = screen.getByLabelText("Password") as HTMLInputElement;
    expect(input.type).toBe("password");
    click("Show password");
    expect(input.type).toBe("text");
    click("Hide password");
    expect(input.type).toBe("password");
  });

  it("refuses a weak password without calling Cognito", async () => {
    type("Email", "ada@example.com");
    type("Password", "password");
    click("Sign up");
    await waitFor(() => expect(alertText()).toMatch(/too weak/));
    expect(mocked.signUp).not.toHaveBeenCalled();
  });

  it("refuses a name the API would refuse before calling Cognito, and marks the field", async () => {
    type("Email", "ada@example.com");
    type("Password", "Abcdef1!");
    type("Last name", "Lovelace\u202e");
    expect(screen.getByLabelText("Last name").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByLabelText("First name").getAttribute("aria-invalid")).toBe("false");
    click("Sign up");
    await waitFor(() =>
      expect(alertText()).toMatch(/^Last name must not contain bidirectional control characters/),
    );
    type("Last name", "x".repeat(51));
    click("Sign up");
    await waitFor(() => expect(alertText()).toBe("Last name must be at most 50 characters."));
    expect(mocked.signUp).not.toHaveBeenCalled();
  });

  it("accepts 50 emoji as a 50-character name and sends it as the API would store it", async () => {
    mocked.signUp.mockResolvedValue({
      isSignUpComplete: false,
      nextStep: { signUpStep: "CONFIRM_SIGN_UP" },
    } as Awaited<ReturnType<typeof auth.signUp>>);
    type("Email", "ada@example.com");
    type("Password", "Abcdef1!");
    type("First name", ` ${"😀".repeat(50)} `);
    type("Last name", "Zoe\u0308");
    click("Sign up");
    await waitFor(() => expect(mocked.signUp).toHaveBeenCalled());
    expect(mocked.signUp.mock.calls[0]?.[0].options?.userAttributes).toEqual({
      email: "ada@example.com",
      given_name: "😀".repeat(50),
      family_name: "Zoë",
    });
  });

  it("says when the email is already registered", async () => {
    mocked.signUp.mockRejectedValue(named("UsernameExistsException"));
    type("Email", "ada@example.com");
    type("Password", "Abcdef1!");
    click("Sign up");
    await waitFor(() => expect(alertText()).toMatch(/already exists/));
    click("Go to sign in");
    expect(go).toHaveBeenCalledWith({ name: "sign-in", email: "ada@example.com" });
  });

  it("submits once however often it is clicked, then goes to confirm", async () => {
    const pending = deferred<Awaited<ReturnType<typeof auth.signUp>>>();
    mocked.signUp.mockReturnValue(pending.promise);
    type("Email", "Ada@Example.com");
    type("Password", "Abcdef1!");
    type("First name", "Ada");
    click("Sign up");
    click("Sign up");
    fireEvent.submit(
      screen.getByRole("button", { name: "Sign up" }).closest("form") as HTMLFormElement,
    );
    await waitFor(() => expect(mocked.signUp).toHaveBeenCalled());
    expect(mocked.signUp).toHaveBeenCalledTimes(1);
    expect(mocked.signUp).toHaveBeenCalledWith({
      username: "ada@example.com",
      password: "Abcdef1!",
      options: { userAttributes: { email: "ada@example.com", given_name: "Ada" } },
    });
    expect(screen.getByRole("button", { name: "Sign up" }).getAttribute("aria-disabled")).toBe(
      "true",
    );
    await act(async () =>
      pending.resolve({
        isSignUpComplete: false,
        nextStep: { signUpStep: "CONFIRM_SIGN_UP", codeDeliveryDetails: {} },
      } as Awaited<ReturnType<typeof auth.signUp>>),
    );
    expect(go).toHaveBeenCalledWith({
      name: "confirm",
      email: "ada@example.com",
      password: "Abcdef1!",
    });
  });
});

describe("sign in", () => {
  const go = vi.fn();
  beforeEach(() => {
    render(<SignIn go={go} />);
    type("Email", "ada@example.com");
    type("Password", "Abcdef1!");
  });

  it("uses the default (SRP) flow and opens the profile", async () => {
    mocked.signIn.mockResolvedValue(signedIn);
    click("Sign in");
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: "profile" }));
    expect(mocked.signIn).toHaveBeenCalledWith({
      username: "ada@example.com",
      password: "Abcdef1!",
    });
  });

  it("says the password is wrong", async () => {
    mocked.signIn.mockRejectedValue(named("NotAuthorizedException"));
    click("Sign in");
    await waitFor(() => expect(alertText()).toBe("Incorrect email or password."));
  });

  it("sends an unconfirmed account to confirm, with the email, the password and why", async () => {
    mocked.signIn.mockResolvedValue({
      isSignedIn: false,
      nextStep: { signInStep: "CONFIRM_SIGN_UP" },
    } as Awaited<ReturnType<typeof auth.signIn>>);
    click("Sign in");
    await waitFor(() =>
      expect(go).toHaveBeenCalledWith({
        name: "confirm",
        email: "ada@example.com",
        password: "Abcdef1!",
        notice: {
          tone: "error",
          text: expect.stringMatching(/isn't confirmed yet.*Resend code/),
        },
      }),
    );
    expect(mocked.resendSignUpCode).not.toHaveBeenCalled();
  });

  it("does the same if UserNotConfirmedException is thrown rather than returned", async () => {
    mocked.signIn.mockRejectedValue(named("UserNotConfirmedException"));
    click("Sign in");
    await waitFor(() =>
      expect(go).toHaveBeenCalledWith(
        expect.objectContaining({ name: "confirm", email: "ada@example.com" }),
      ),
    );
  });

  it("says to wait after Cognito's lockout for repeated wrong passwords, with no retry button", async () => {
    mocked.signIn.mockRejectedValue(
      Object.assign(new Error("Password attempts exceeded"), { name: "NotAuthorizedException" }),
    );
    click("Sign in");
    await waitFor(() =>
      expect(alertText()).toBe("Too many attempts. Wait a few minutes, then try again."),
    );
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });

  it("offers a retry when the network is down", async () => {
    mocked.signIn.mockRejectedValueOnce(named("NetworkError")).mockResolvedValueOnce(signedIn);
    click("Sign in");
    await waitFor(() => expect(alertText()).toMatch(/Can't reach/));
    click("Try again");
    await waitFor(() => expect(go).toHaveBeenCalledWith({ name: "profile" }));
  });

  it("links to sign-up and forgot password", () => {
    click("Sign up");
    expect(go).toHaveBeenLastCalledWith({ name: "sign-up", email: "ada@example.com" });
    click("Forgot password?");
    expect(go).toHaveBeenLastCalledWith({ name: "forgot-password", email: "ada@example.com" });
  });
});
