import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as auth from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { Hub } from "aws-amplify/utils";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auth as loadAuth } from "../src/amplify";
import { type ApiClient, ApiError, type Profile } from "../src/api";
import { App } from "../src/app";
import type { AppConfig } from "../src/config";
import { screens } from "../src/screens";
import { storeSession } from "./stored-session";

vi.mock("aws-amplify/auth", async (original) => ({
  ...(await original()),
  signIn: vi.fn(),
  signOut: vi.fn(),
  confirmSignUp: vi.fn(),
  resendSignUpCode: vi.fn(),
  fetchAuthSession: vi.fn(),
}));
vi.mock("aws-amplify/auth/cognito", () => ({
  cognitoUserPoolsTokenProvider: {
    authTokenStore: { loadTokens: vi.fn(), clearTokens: vi.fn() },
    setAuthConfig: vi.fn(),
    setKeyValueStorage: vi.fn(),
  },
}));

// Loaded once up front: each screen is a chunk of its own, loaded on first use.
beforeAll(() => Promise.all(Object.values(screens).map((load) => load())));

const mocked = vi.mocked(auth);

// Amplify is a chunk of its own, loaded on first use: loaded once here, not inside a timed wait.
beforeAll(() => loadAuth());
const store = vi.mocked(cognitoUserPoolsTokenProvider.authTokenStore);
const config: AppConfig = {
  userPoolId: "eu-west-3_Abc123",
  userPoolClientId: "client-1",
  apiUrl: "https://api.example.com",
  cognitoEndpoint: "http://127.0.0.1:9229",
};
const profile: Profile = {
  userId: "u1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: null,
  createdAt: "2025-03-04T10:00:00.000Z",
  updatedAt: "2025-03-04T10:00:00.000Z",
};
const heading = () => screen.getByRole("heading", { level: 1 }).textContent;
const click = (name: string) => fireEvent.click(screen.getByRole("button", { name }));
const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

type Session = Awaited<ReturnType<typeof auth.fetchAuthSession>>;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;
const signedInSession = () =>
  ({
    tokens: { idToken: { toString: () => "id-token", payload: { exp: inAnHour() } } },
  }) as unknown as Session;
const signedOutSession = { tokens: undefined } as unknown as Session;

function api(overrides: Partial<ApiClient> = {}): ApiClient {
  return {
    getProfile: vi.fn(async () => profile),
    updateProfile: vi.fn(),
    deleteAccount: vi.fn(),
    syncEmail: vi.fn(async () => profile),
    ...overrides,
  };
}

const revokeCalls = vi.fn<typeof fetch>();

beforeEach(() => {
  mocked.signOut.mockResolvedValue();
  store.clearTokens.mockResolvedValue();
  store.loadTokens.mockResolvedValue({
    accessToken: { payload: { origin_jti: "origin-1" } },
    refreshToken: "refresh-1",
  } as unknown as Awaited<ReturnType<typeof store.loadTokens>>);
  revokeCalls.mockResolvedValue(new Response("{}", { status: 200 }));
  vi.stubGlobal("fetch", revokeCalls);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("signing in with an unconfirmed account", () => {
  it("opens the confirm screen with the email filled in, says why, and offers a new code", async () => {
    mocked.fetchAuthSession.mockResolvedValue(signedOutSession);
    render(<App config={config} api={api()} />);
    await waitFor(() => expect(heading()).toBe("Sign in"));
    mocked.signIn.mockResolvedValue({
      isSignedIn: false,
      nextStep: { signInStep: "CONFIRM_SIGN_UP" },
    } as Awaited<ReturnType<typeof auth.signIn>>);
    type("Email", "Ada@Example.com");
    type("Password", "any-password");
    click("Sign in");

    await waitFor(() => expect(heading()).toBe("Confirm your email"));
    expect((screen.getByLabelText("Email") as HTMLInputElement).value).toBe("ada@example.com");
    expect(screen.getByRole("alert").textContent).toMatch(
      /isn't confirmed yet.*Resend code to get a new one/,
    );
    expect(mocked.resendSignUpCode).not.toHaveBeenCalled();

    mocked.resendSignUpCode.mockResolvedValue(
      {} as Awaited<ReturnType<typeof auth.resendSignUpCode>>,
    );
    click("Resend code");
    await waitFor(() =>
      expect(screen.getByRole("status").textContent).toBe("We sent a new code to ada@example.com."),
    );
    expect(mocked.resendSignUpCode).toHaveBeenCalledWith({ username: "ada@example.com" });
  });

  it("after confirming, asks for the password again when the one typed was wrong", async () => {
    mocked.fetchAuthSession.mockResolvedValue(signedOutSession);
    render(<App config={config} api={api()} />);
    await waitFor(() => expect(heading()).toBe("Sign in"));
    mocked.signIn
      .mockResolvedValueOnce({
        isSignedIn: false,
        nextStep: { signInStep: "CONFIRM_SIGN_UP" },
      } as Awaited<ReturnType<typeof auth.signIn>>)
      .mockRejectedValueOnce(Object.assign(new Error(""), { name: "NotAuthorizedException" }));
    type("Email", "ada@example.com");
    type("Password", "Wrong-pass1");
    click("Sign in");
    await waitFor(() => expect(heading()).toBe("Confirm your email"));
    mocked.confirmSignUp.mockResolvedValue({} as Awaited<ReturnType<typeof auth.confirmSignUp>>);
    type("Confirmation code", "123456");
    click("Confirm");
    await waitFor(() => expect(heading()).toBe("Sign in"));
    expect(screen.getByRole("status").textContent).toBe("Email confirmed. Sign in to continue.");
    expect(mocked.signIn).toHaveBeenLastCalledWith({
      username: "ada@example.com",
      password: "Wrong-pass1",
    });
  });
});

describe("signing out", () => {
  beforeEach(() => storeSession(config.userPoolClientId));

  it("revokes the refresh token, signs out with Amplify and shows the sign-in screen", async () => {
    mocked.fetchAuthSession.mockResolvedValue(signedInSession());
    render(<App config={config} api={api()} />);
    await screen.findByText("ada@example.com");
    click("Sign out");
    await waitFor(() => expect(heading()).toBe("Sign in"));
    expect(screen.getByRole("status").textContent).toBe("You're signed out.");
    expect(revokeCalls).toHaveBeenCalledTimes(1);
    const [url, init] = revokeCalls.mock.calls[0] ?? [];
    expect(url).toBe("http://127.0.0.1:9229/");
    expect(JSON.parse(String(init?.body))).toEqual({ ClientId: "client-1", Token: "refresh-1" });
    expect(mocked.signOut).toHaveBeenCalledTimes(1);
  });

  it("keeps the person on their profile, signed in, when the pool can't be reached", async () => {
    mocked.fetchAuthSession.mockResolvedValue(signedInSession());
    revokeCalls.mockRejectedValue(new TypeError("Failed to fetch"));
    render(<App config={config} api={api()} />);
    await screen.findByText("ada@example.com");
    click("Sign out");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/still signed in/));
    expect(heading()).toBe("Your profile");
    expect(mocked.signOut).not.toHaveBeenCalled();

    click("Sign out on this device only");
    await waitFor(() => expect(heading()).toBe("Sign in"));
    expect(mocked.signOut).toHaveBeenCalledTimes(1);
    expect(revokeCalls).toHaveBeenCalledTimes(1);
  });
});

describe("a session Cognito no longer refreshes", () => {
  beforeEach(() => storeSession(config.userPoolClientId));

  it("sends the person to sign in with an alert when the API finds the session gone", async () => {
    mocked.fetchAuthSession.mockResolvedValue(signedInSession());
    render(
      <App
        config={config}
        api={api({
          getProfile: vi.fn(async () => {
            throw new ApiError("session", "expired");
          }),
        })}
      />,
    );
    await waitFor(() => expect(heading()).toBe("Sign in"));
    expect(screen.getByRole("alert").textContent).toBe(
      "Your session has expired. Please sign in again.",
    );
    expect(mocked.signOut).toHaveBeenCalled();
  });

  it("says so on start-up when the stored refresh token is refused (NotAuthorizedException)", async () => {
    mocked.fetchAuthSession.mockImplementation(async () => {
      Hub.dispatch("auth", {
        event: "tokenRefresh_failure",
        data: { error: Object.assign(new Error(""), { name: "NotAuthorizedException" }) },
      });
      return signedOutSession;
    });
    await act(async () => {
      render(<App config={config} api={api()} />);
    });
    await waitFor(() => expect(heading()).toBe("Sign in"));
    expect(screen.getByRole("alert").textContent).toMatch(/session has expired/);
  });
});
